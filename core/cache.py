"""A Redis cache that treats an outage as a cache miss, never as a page error.

Every cache call that fails on a Redis or network error is logged (warning,
logger ``pantogether.cache``) and answers what an empty cache would answer.
After a failure the backend stops calling Redis for ``retry_seconds``, so an
outage costs one connection attempt per process every few seconds instead
of one (or several, with redis-py's retries) per cache call, and the log
gets one line per period instead of one per request.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("pantogether.cache")

# Shared by the threads of a process (Django builds one backend per thread).
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, with connection errors logged and bypassed.

    Reads answer a miss, writes and deletes do nothing, so a stopped Redis
    costs speed, not availability. Errors that are not about reaching Redis
    (``incr`` on a missing key raises ValueError) keep Django's behaviour.
    """

    retry_seconds = 5.0

    @property
    def _location(self) -> str:
        return ",".join(self._servers)

    def _safe(self, name, default, *args, **kwargs):
        location = self._location
        if _down_until.get(location, 0.0) > time.monotonic():
            return default
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            with _lock:
                _down_until[location] = time.monotonic() + self.retry_seconds
            log.warning(
                "Redis cache unavailable (%s: %s: %s); bypassed for %g s",
                name,
                type(exc).__name__,
                exc,
                self.retry_seconds,
            )
            return default
        if location in _down_until:
            with _lock:
                if _down_until.pop(location, None) is not None:
                    log.warning("Redis cache reachable again")
        return result

    def get(self, key, default=None, version=None):
        return self._safe("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._safe("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._safe("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safe("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safe("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._safe("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safe("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._safe("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._safe("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        # No sensible "miss" for a counter: answer None, as if nothing was counted.
        return self._safe("incr", None, key, delta, version)

    def clear(self):
        return self._safe("clear", False)
