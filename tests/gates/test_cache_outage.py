"""A cache outage is not a site outage; a working cache serves pages without SQL.

With REDIS_URL pointing at a closed port, every crawled page answers as it
did in the crawl (200 for every linked page), and the outage is logged. With
the local Redis running (CI has one; skipped when it is unreachable), and
with the default local-memory cache, every crawled HTML page is served the
second time from the page cache, without a single SQL query.
"""

import logging
import socket
import uuid

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from core import cache as resilient


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": location,
            # Our own keys in a shared Redis; never clear() it (FLUSHDB).
            "KEY_PREFIX": f"pt-gate-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5},
        }
    }


def local_redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.2):
            return True
    except OSError:
        return False


def test_every_page_answers_with_redis_down_and_the_outage_is_logged(crawled_pages, db, caplog):
    caplog.set_level(logging.WARNING, logger="pantogether.cache")
    resilient._down_until.clear()
    client = Client()
    wrong = []
    # The page cache on, as in production: it is what reads Redis on every request.
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:1/0"), PAGE_CACHE_SECONDS=60):
        for page in crawled_pages:
            response = client.get(page.url)
            if response.streaming:  # a download: read it, which closes the file
                b"".join(response.streaming_content)
            status = response.status_code
            if status != page.status:
                wrong.append(f"{page.url}: {status} (crawl: {page.status})")
    resilient._down_until.clear()
    assert not wrong, "\n".join(wrong)
    assert any(p.status == 200 for p in crawled_pages)
    assert "Redis cache unavailable" in caplog.text


def pages_not_served_from_cache(crawled_pages) -> list[str]:
    client = Client()
    html = [p for p in crawled_pages if p.status == 200 and p.is_html]
    for page in html:
        client.get(page.url)
    slow = []
    for page in html:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        assert response.status_code == 200
        if len(queries):
            slow.append(f"{page.url}: {len(queries)} queries")
    return slow


def test_every_html_page_is_served_again_without_sql(crawled_pages, db):
    roomy = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gate"}
    roomy["OPTIONS"] = {"MAX_ENTRIES": 100_000}  # the default 300 would cull a large site
    with override_settings(CACHES={"default": roomy}, PAGE_CACHE_SECONDS=600):
        slow = pages_not_served_from_cache(crawled_pages)
    assert not slow, "\n".join(slow)


@pytest.mark.skipif(not local_redis_reachable(), reason="no Redis on 127.0.0.1:6379 (CI has one)")
def test_with_redis_every_html_page_is_served_again_without_sql(crawled_pages, db, caplog):
    caplog.set_level(logging.WARNING, logger="pantogether.cache")
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:6379/0"), PAGE_CACHE_SECONDS=600):
        slow = pages_not_served_from_cache(crawled_pages)
    assert not slow, "\n".join(slow)
    assert "Redis cache unavailable" not in caplog.text
