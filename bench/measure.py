"""SQL queries, weight and render time of each page, measured in-process.

Run by bench/run.py with the bench environment (its database, production
settings) and PAGE_CACHE_SECONDS=0, so every request renders: the figures
are those of a page whose cache entry was just invalidated (a cached page
costs no query at all). Prints one JSON object: {url: {...}}.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantogether.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RENDERS = 5


def measure(client: Client, url: str) -> dict:
    client.get(url)  # warm the process (template loading, lookups read once)
    times = []
    for _ in range(RENDERS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "queries": len(queries),
        "bytes": len(body),
        "render_ms": round(statistics.median(times), 1),
    }


if __name__ == "__main__":
    client = Client()
    print(json.dumps({url: measure(client, url) for url in sys.argv[1:]}))
