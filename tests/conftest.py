"""Shared fixtures: plain static storage, a clean cache, and the reference data."""

from pathlib import Path

import pytest
from django.core.cache import cache

from tests import factories

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
    # Pages are rendered afresh: a test that changes data sees it on its next
    # request (the page cache has its own tests, which switch it on).
    settings.PAGE_CACHE_SECONDS = 0
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
