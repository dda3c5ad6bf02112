"""Whole-page cache of anonymous GET requests, invalidated by any content change.

A public page is the same for every anonymous visitor, so its finished
response (status, headers, body) is kept in the cache, keyed by its full URL,
and served again without touching the session, the database or the
templates. Every entry is tagged with the site-wide *content version*; a
change to any content (admin, import, management command) sets a new
version, so the next request renders afresh: an edit is visible at once.

What is cached: GET requests without a session or messages cookie, outside
``PAGE_CACHE_SKIP_PREFIXES`` (the admin), whose response is a 200 HTML page
setting no cookie, not private, varying on nothing but Cookie, and carrying
no CSP nonce. Everything the inner middleware adds (CSP, Permissions-Policy
with the directory's own geolocation grant, X-Frame-Options, CORP) is cached
with the page; what SecurityMiddleware adds (HSTS, nosniff, Referrer-Policy,
COOP) is added per request, outside.

Where the version lives: in the cache itself when the cache is shared
between processes (Redis), so every web process of every host sees a bump at
once; with the local-memory cache (one per process) in a small file
(``PAGE_CACHE_VERSION_FILE``) that every process of the host reads. A version
that cannot be read disables the page cache (a miss, never a stale page).

How content changes bump it: this is the one place the project uses signal
receivers (see DESIGN/STYLE: "no signals"), because invalidation must not
depend on which code path saved the object: post_save, post_delete and
m2m_changed of every model of the content apps (``CONTENT_APPS``) call
``bump()`` at once and again when the transaction commits (so that a page
rendered from the old rows during the transaction is not kept under the new
version). Bulk operations skip signals: code that uses ``bulk_create``,
``QuerySet.update()`` or raw SQL on content must call ``bump()`` itself.
``migrate`` bumps too, so a deployment never serves pages from the old code.
"""

import hashlib
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse

log = logging.getLogger("pantogether.cache")

CONTENT_APPS = ("pantogether", "centres", "rcp", "trials")
VERSION_KEY = "pagecache:version"
KEY_PREFIX = "pagecache:page:"
MAX_URL_LENGTH = 2000
_SKIPPED_COOKIES = ("messages",)


# --- Content version ---------------------------------------------------------


def _default_cache():
    return caches["default"]


def version_file() -> Path:
    return Path(settings.PAGE_CACHE_VERSION_FILE)


def current_version() -> str | None:
    """The content version, or None when it cannot be known (then: no caching)."""
    backend = _default_cache()
    if isinstance(backend, LocMemCache):
        try:
            return version_file().read_text(encoding="ascii").strip() or None
        except FileNotFoundError:
            return bump()
        except OSError as exc:
            log.warning("page cache version unreadable: %s", exc)
            return None
    version = backend.get(VERSION_KEY)
    if version is None:
        backend.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = backend.get(VERSION_KEY)
    return version


def bump() -> str | None:
    """Start a new content version: every cached page becomes stale at once.

    Public: bulk imports and commands that skip model signals call it.
    """
    version = uuid.uuid4().hex
    backend = _default_cache()
    if not isinstance(backend, LocMemCache):
        backend.set(VERSION_KEY, version, timeout=None)
        return version
    path = version_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a reader sees the old or the new version, never half.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(version)
        os.replace(tmp, path)
    except OSError as exc:
        log.error("page cache version not written (%s): removing it disables the cache", exc)
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.error("page cache version file %s can be neither written nor removed", path)
        return None
    return version


# --- Receivers ---------------------------------------------------------------


def _content_changed(sender, using=None, **kwargs):
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed sends pre_* and post_*; the post_* one is enough.
    bump()
    transaction.on_commit(bump, using=using, robust=True)


def _migrated(sender, **kwargs):
    bump()


def content_models():
    """The models whose changes show on public pages (history tables aside)."""
    for config in apps.get_app_configs():
        if config.label not in CONTENT_APPS:
            continue
        for model in config.get_models():
            if not model._meta.model_name.startswith("historical"):
                yield model


def connect_signals() -> None:
    """Connect the invalidation receivers (called once, from ready()).

    Connected per model, not globally: a receiver without a sender would
    stop Django's fast deletes for every model (sessions, axes logs...).
    """
    for model in content_models():
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_content_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _content_changed, sender=through, dispatch_uid=f"pagecache:{through._meta.label}"
            )
    post_migrate.connect(_migrated, dispatch_uid="pagecache:migrate")


# --- Middleware --------------------------------------------------------------


def _request_is_cacheable(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    if isinstance(_default_cache(), DummyCache):
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
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {"cookie"}:
        return False
    return "'nonce-" not in response.get("Content-Security-Policy", "")


def page_key(request) -> str:
    url = request.build_absolute_uri()
    return KEY_PREFIX + hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()


def _from_entry(entry) -> HttpResponse:
    _version, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def _cached(backend, key: str, version: str) -> HttpResponse | None:
    entry = backend.get(key)
    return _from_entry(entry) if entry is not None and entry[0] == version else None


class PageCacheMiddleware:
    """Serve anonymous public pages from the cache (see the module docstring).

    Placed right after WhiteNoise: a hit costs two cache reads and no query.

    After a bump every page is a miss at once, and a busy page (the home page
    draws every centre) would be rendered by every worker thread that gets a
    request for it in the meantime, each slowing the others down. So one
    request renders a page while the others for the same page and version
    wait for its entry (``PAGE_CACHE_LOCK_WAIT`` seconds at most, then they
    render it themselves); nobody is ever served a page older than the
    version. With Redis the lock holds across processes and hosts; with the
    local-memory cache, across the threads of a process.
    """

    lock_poll_seconds = 0.02

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _request_is_cacheable(request):
            return self.get_response(request)
        version = current_version()
        if version is None:
            return self.get_response(request)
        backend = _default_cache()
        key = page_key(request)
        response = _cached(backend, key, version)
        if response is not None:
            return response
        lock = f"{key}:lock:{version}"
        wait = settings.PAGE_CACHE_LOCK_WAIT
        if wait > 0 and not backend.add(lock, 1, timeout=max(1, round(wait * 2))):
            response = self._wait_for(backend, key, version, lock, time.monotonic() + wait)
            if response is not None:
                return response
            lock = None  # the renderer failed, gave up or was too slow: render here
        elif wait <= 0:
            lock = None
        try:
            response = self.get_response(request)
            if _response_is_cacheable(response):
                entry = (
                    version,
                    response.status_code,
                    list(response.headers.items()),
                    response.content,
                )
                backend.set(key, entry, settings.PAGE_CACHE_SECONDS)
        finally:
            if lock is not None:
                backend.delete(lock)
        return response

    def _wait_for(self, backend, key, version, lock, deadline) -> HttpResponse | None:
        """The entry another request is rendering, or None if it does not come."""
        while time.monotonic() < deadline:
            time.sleep(self.lock_poll_seconds)
            response = _cached(backend, key, version)
            if response is not None:
                return response
            if not backend.has_key(lock):
                return None  # rendered but not cacheable (an error page...): render here
        return None
