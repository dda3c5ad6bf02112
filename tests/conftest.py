"""Shared fixtures: plain static storage, a clean cache, and the reference data."""

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from tests import factories

if "faketime" in os.environ.get("LD_PRELOAD", ""):
    # Under libfaketime 0.9.10 (Debian 12) with FAKETIME_DONT_FAKE_MONOTONIC=1,
    # Python 3.11's time.sleep fails with EINVAL: libfaketime shifts the monotonic
    # deadline it passes to clock_nanosleep(TIMER_ABSTIME) (libfaketime issue 426).
    # Without that variable, timed waits hang instead. The shifted-clock pass
    # (`make test-shifted-clock`) keeps the variable and sleeps with a timed wait.
    def _sleep(seconds: float) -> None:
        threading.Event().wait(seconds)

    time.sleep = _sleep

# The gates and browser journeys load the demo data: they run in their own
# session (`pytest tests/gates tests/browser`, see the Makefile), never mixed
# into the unit tests, which count rows in an empty database.
GATE_DIRS = [Path(__file__).parent / "gates", Path(__file__).parent / "browser"]


def pytest_ignore_collect(collection_path, config):
    """Leave the gate folders out unless they are named on the command line."""
    if collection_path not in GATE_DIRS:
        return None
    here = Path(config.invocation_params.dir)
    for arg in config.args:
        named = (here / arg.split("::")[0]).resolve()
        if named == collection_path or collection_path in named.parents:
            return None
    return True


@pytest.fixture(autouse=True)
def _test_environment(settings):
    # The manifest storage needs collectstatic; tests use the plain one.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The local-memory cache outlives each test's rollback.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def axes(db):
    """The three axes (shipped by a data migration)."""
    return factories.axes()


@pytest.fixture
def centre(db):
    return factories.make_centre()
