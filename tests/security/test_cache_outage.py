"""A cache outage is not a site outage: Redis errors are logged and bypassed.

The pages themselves are checked in the gates (every crawled page answers 200
with Redis unreachable, tests/gates/test_cache_outage.py); here, the backend.
"""

import logging
import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from core import cache as resilient

CLOSED_PORT = "redis://127.0.0.1:1/0"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def redis_cache(location: str, **options) -> dict:
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": location,
            # A prefix of its own: tests share the local Redis with everyone, and
            # never clear() it (that would flush the whole database).
            "KEY_PREFIX": f"pt-test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5, **options},
        }
    }


@pytest.fixture(autouse=True)
def _fresh_breaker():
    resilient._down_until.clear()
    yield
    resilient._down_until.clear()


def test_every_cache_call_answers_like_an_empty_cache_when_redis_is_down(caplog):
    with override_settings(CACHES=redis_cache(CLOSED_PORT)):
        cache = caches["default"]
        assert cache.get("k") is None
        assert cache.get("k", "défaut") == "défaut"
        assert cache.set("k", "v") is None
        assert cache.add("k", "v") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.has_key("k") is False
        assert cache.get_or_set("k", "calculé") == "calculé"
        assert cache.incr("n") is None
        assert cache.delete("k") is False
        assert cache.delete_many(["a"]) is None
        assert cache.touch("k") is False
        cache.clear()


def test_an_outage_is_logged_once_per_retry_period_not_per_call(caplog):
    caplog.set_level(logging.WARNING, logger="pantogether.cache")
    with override_settings(CACHES=redis_cache(CLOSED_PORT)):
        cache = caches["default"]
        for _ in range(50):
            cache.get("k")
    lines = [r for r in caplog.records if r.name == "pantogether.cache"]
    assert len(lines) == 1
    assert lines[0].levelno == logging.WARNING
    assert "Redis cache unavailable (get: ConnectionError" in lines[0].getMessage()


def test_redis_is_tried_again_after_the_retry_period(caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger="pantogether.cache")
    with override_settings(CACHES=redis_cache(CLOSED_PORT)):
        cache = caches["default"]
        cache.get("k")
        # The period is over: the next call tries Redis again (and fails again).
        for location in resilient._down_until:
            resilient._down_until[location] = 0.0
        cache.get("k")
    assert len([r for r in caplog.records if r.name == "pantogether.cache"]) == 2


def local_redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.2):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not local_redis_reachable(), reason="no Redis on 127.0.0.1:6379 (CI has one)"
)


@needs_redis
def test_with_redis_running_values_are_cached_and_shared_in_redis(caplog):
    caplog.set_level(logging.WARNING, logger="pantogether.cache")
    settings = redis_cache(LOCAL_REDIS)
    with override_settings(CACHES=settings):
        cache = caches["default"]
        cache.set("centre", {"nom": "CHU de Brest"}, 30)
        assert cache.get("centre") == {"nom": "CHU de Brest"}
        assert cache.add("compteur", 1) is True
        assert cache.incr("compteur") == 2
        cache.delete_many(["centre", "compteur"])
        assert cache.get("centre") is None
    assert not [r for r in caplog.records if r.name == "pantogether.cache"]


@needs_redis
def test_errors_that_are_not_an_outage_keep_django_behaviour():
    with override_settings(CACHES=redis_cache(LOCAL_REDIS)):
        with pytest.raises(ValueError):
            caches["default"].incr("absent")
