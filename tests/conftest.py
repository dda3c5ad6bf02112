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


# What the network-facts migration (centres 0006) brings to every database.
NETWORK_FACT_CENTRES = ("chu-brest", "chu-avicenne", "chu-pitie-salpetriere")
_DB_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences")


@pytest.fixture(autouse=True)
def _without_network_facts(request):
    """Unit tests start from the reference data only (regions, departments, axes,
    services) and build what they need with the factories: the pilot and referent
    centres and their coordinators, which `migrate` brings to every database, are
    taken out of the test's transaction (and come back at its rollback).

    Not for tests marked `network_facts` (they check those rows), transactional
    tests (their database is flushed anyway) or the gates (their demo data
    includes the facts).
    """
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or any(f in request.fixturenames for f in _DB_FIXTURES)
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    in_gates = any(Path(str(request.node.path)).is_relative_to(d) for d in GATE_DIRS)
    if not uses_db or transactional or in_gates or request.node.get_closest_marker("network_facts"):
        return
    request.getfixturevalue("db")
    from centres.models import Centre, Person

    Centre.objects.filter(slug__in=NETWORK_FACT_CENTRES, is_demo=False).delete()
    Person.objects.filter(is_demo=False).delete()


@pytest.fixture
def axes(db):
    """The three axes (shipped by a data migration)."""
    return factories.axes()


@pytest.fixture
def centre(db):
    return factories.make_centre()
