"""Whole-page cache of anonymous GET requests, kept a short, fixed time.

A public page is the same for every anonymous visitor, so its finished
response (status, headers, body) is kept in the cache for
``PAGE_CACHE_SECONDS``, keyed by its full URL, and served again without
touching the session, the database or the templates.

Nothing invalidates an entry: it simply expires. An edit therefore reaches
anonymous visitors within ``PAGE_CACHE_SECONDS`` (60 by default), while
staff, who carry a session cookie, always see the live pages. When an entry
is due, the next request renders the page again while the requests that
arrive during that render still get the previous entry (stale while
revalidate): nobody waits for a busy page to render, and no page is served
more than ``PAGE_CACHE_SECONDS`` plus one render after it was rendered. This keeps the
domain apps free of any cache logic (no signal, no "bump" after a bulk
write that could be forgotten), and a hit costs one cache read instead of
two (the former site-wide content version had to be read first).

What is cached: GET requests without a session or messages cookie, outside
``PAGE_CACHE_SKIP_PREFIXES`` (the admin), whose response is a 200 HTML page,
iCalendar or Atom feed setting no cookie, not private, varying on nothing but Cookie,
and carrying no CSP nonce. Everything the inner middleware adds (CSP,
Permissions-Policy, X-Frame-Options, CORP) is cached with the page; what
SecurityMiddleware adds (HSTS, nosniff, Referrer-Policy, COOP) is added per
request, outside.

Each entry also holds a weak ETag (a hash of the body), so a client that
asks again with If-None-Match gets a 304, and, for bodies worth it, a gzip
copy compressed once, sent to clients that accept it (calendar clients
polling the RCP feeds do).
"""

import gzip
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

KEY_PREFIX = "pagecache:page:"
MAX_URL_LENGTH = 2000
CACHED_TYPES = ("text/html", "text/calendar", "application/atom+xml")
# Smaller bodies are not worth a compressed copy.
GZIP_MIN_BYTES = 8 * 1024
_SKIPPED_COOKIES = ("messages",)
_Q_ZERO = re.compile(r"\s*q\s*=\s*0(\.0*)?\s*")


def _backend():
    return caches["default"]


def _request_is_cacheable(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    if isinstance(_backend(), DummyCache):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or any(c in cookies for c in _SKIPPED_COOKIES):
        return False
    if any(request.path.startswith(p) for p in settings.PAGE_CACHE_SKIP_PREFIXES):
        return False
    return len(request.META.get("QUERY_STRING", "")) + len(request.path) <= MAX_URL_LENGTH


def _response_is_cacheable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(CACHED_TYPES):
        return False
    if response.has_header("Content-Encoding"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {"cookie"}:
        return False
    return "'nonce-" not in response.get("Content-Security-Policy", "")


def accepts_gzip(request) -> bool:
    """Whether Accept-Encoding lists gzip without refusing it (q=0)."""
    for item in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            return not _Q_ZERO.fullmatch(params)
    return False


def page_key(request) -> str:
    url = request.build_absolute_uri()
    return KEY_PREFIX + hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()


def _entry(response) -> tuple:
    """(status, headers, body, gzipped body or None, ETag, fresh until) of a response."""
    body = response.content
    etag = response.get("ETag") or 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
    if gzipped is not None and len(gzipped) >= len(body):
        gzipped = None
    fresh_until = time.time() + settings.PAGE_CACHE_SECONDS
    return (response.status_code, list(response.headers.items()), body, gzipped, etag, fresh_until)


def _etag_matches(request, etag: str) -> bool:
    """If-None-Match against our weak ETag (weak comparison, RFC 9110 13.1.2)."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in header.split(","))


def _from_entry(request, entry) -> HttpResponse:
    status, headers, body, gzipped, etag, _fresh_until = entry
    if _etag_matches(request, etag):
        response = HttpResponseNotModified()
        for name, value in headers:
            if name.lower() in ("cache-control", "vary", "content-location", "expires"):
                response.headers[name] = value
    else:
        compressed = gzipped is not None and accepts_gzip(request)
        response = HttpResponse(gzipped if compressed else body, status=status)
        for name, value in headers:
            response.headers[name] = value
        if compressed:
            response.headers["Content-Encoding"] = "gzip"
            response.headers["Content-Length"] = str(len(gzipped))
    response.headers["ETag"] = etag
    if gzipped is not None:
        patch_vary_headers(response, ["Accept-Encoding"])
    return response


class PageCacheMiddleware:
    """Serve anonymous public pages from the cache (see the module docstring).

    Placed right after WhiteNoise: a hit costs one cache read and no query.

    A busy page (the home page draws every centre) would otherwise be
    rendered by every worker thread that gets a request for it while it
    renders, each slowing the others down. So one request renders a page (it
    holds a lock in the cache) while the others for the same page get the
    entry that is due, or, when there is none yet (the first visit, after a
    restart), wait for it (``PAGE_CACHE_LOCK_WAIT`` seconds at most, then they
    render it themselves). With Redis the lock holds across processes and
    hosts; with the local-memory cache, across the threads of a process. An
    entry is kept twice ``PAGE_CACHE_SECONDS``: the second half only serves
    while the page renders again.
    """

    lock_poll_seconds = 0.02

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _request_is_cacheable(request):
            return self.get_response(request)
        backend = _backend()
        key = page_key(request)
        entry = backend.get(key)
        if entry is not None and entry[5] > time.time():
            return _from_entry(request, entry)
        lock = f"{key}:lock"
        wait = settings.PAGE_CACHE_LOCK_WAIT
        locked = backend.add(lock, 1, timeout=max(1, round(wait * 2)))
        if not locked and entry is not None:
            return _from_entry(request, entry)  # due, and being rendered by another request
        if not locked and wait > 0:
            entry = self._wait_for(backend, key, lock, time.monotonic() + wait)
            if entry is not None:
                return _from_entry(request, entry)
        if not locked:
            lock = None  # the renderer failed, gave up or was too slow: render here
        try:
            response = self.get_response(request)
            if _response_is_cacheable(response):
                entry = _entry(response)
                backend.set(key, entry, 2 * settings.PAGE_CACHE_SECONDS)
                # Answered as the next requests will be (ETag, 304, gzip).
                response = _from_entry(request, entry)
        finally:
            if lock is not None:
                backend.delete(lock)
        return response

    def _wait_for(self, backend, key, lock, deadline):
        """The entry another request is rendering, or None if it does not come."""
        while time.monotonic() < deadline:
            time.sleep(self.lock_poll_seconds)
            entry = backend.get(key)
            if entry is not None:
                return entry
            if not backend.has_key(lock):
                return None  # rendered but not cacheable (an error page...): render here
        return None
