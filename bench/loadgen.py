"""A small HTTP/1.1 load generator, for machines without wrk.

`drive(url, connections, seconds)` keeps `connections` keep-alive
connections busy for `seconds` (asyncio, one process) and returns the same
figures as the wrk script: requests, errors, latency percentiles, bytes.
It is slower than wrk and shares the CPU with the server: on a small machine
its numbers are a lower bound, which is why `bench/run.py` prefers wrk.
"""

import asyncio
import time
from urllib.parse import urlsplit


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


async def _read_response(reader) -> tuple[int, int, bool]:
    """(status, body bytes, keep-alive) of one response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    keep_alive = headers.get("connection", "").lower() != "close"
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
        size = len(body)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        size = 0
        while True:
            chunk_size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(chunk_size + 2)
            size += chunk_size
            if chunk_size == 0:
                break
    else:
        size = len(await reader.read())
        keep_alive = False
    return status, size, keep_alive


async def _connection(host, port, request, deadline, stats):
    reader = writer = None
    while time.perf_counter() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(request)
            status, size, keep_alive = await _read_response(reader)
            stats["latencies"].append(time.perf_counter() - started)
            stats["bytes"] += size
            if status >= 400:
                stats["errors"] += 1
            if not keep_alive:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            stats["errors"] += 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def _drive(url, connections, seconds):
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    # Calendar clients ask for compressed feeds; pages are compressed by the proxy.
    path = target.split("?")[0]
    feed = path.endswith(".ics") or path.endswith("/flux/")  # feed clients ask for gzip
    extra = "Accept-Encoding: gzip\r\n" if feed else ""
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"User-Agent: pantogether-bench\r\nAccept: text/html,*/*\r\n{extra}\r\n"
    ).encode("latin-1")
    stats = {"latencies": [], "bytes": 0, "errors": 0}
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _connection(parts.hostname, parts.port or 80, request, deadline, stats)
            for _ in range(connections)
        )
    )
    stats["duration"] = time.perf_counter() - started
    return stats


def drive(url: str, connections: int, seconds: float) -> dict:
    """Load `url` with `connections` connections for `seconds`; figures in ms."""
    stats = asyncio.run(_drive(url, connections, seconds))
    latencies = sorted(stats["latencies"])
    requests = len(latencies)
    return {
        "requests": requests,
        "rps": requests / stats["duration"] if stats["duration"] else 0.0,
        "errors": stats["errors"],
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "bytes_per_response": stats["bytes"] / requests if requests else 0,
    }
