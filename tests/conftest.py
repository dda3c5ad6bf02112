"""Shared fixtures: plain static storage, a clean cache, and the reference data; the
split between the unit tests and the gates (marker `gate`)."""

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

# The gates and browser journeys (tests/gates, tests/browser) load the demo data
# into the test database; the unit tests count rows in an empty one. The gates are
# marked `gate` and run in their own session (`pytest -m gate tests`, see the
# Makefile); the default run (`-m "not gate"` in pyproject.toml) leaves them out.
GATE_DIRS = (Path(__file__).parent / "gates", Path(__file__).parent / "browser")
# The same folders as the start of a node id (relative to the repository root).
GATE_NODE_PREFIXES = tuple(f"{d.relative_to(d.parents[1]).as_posix()}/" for d in GATE_DIRS)
_deselected_gates = pytest.StashKey[int]()


def is_gate(item: pytest.Item) -> bool:
    return any(Path(item.path).is_relative_to(folder) for folder in GATE_DIRS)


@pytest.hookimpl(tryfirst=True)  # before -m deselects and pytest-django orders by database use
def pytest_collection_modifyitems(config, items):
    """Mark every test under the gate folders `gate`, and give it the database.

    A gate that only reads `crawled_pages` asks for no database itself, and
    pytest-django creates the test database only for tests that ask.
    """
    for item in items:
        if is_gate(item):
            item.add_marker(pytest.mark.gate)
            if item.get_closest_marker("django_db") is None:
                item.add_marker(pytest.mark.django_db)


def refuse_mixed_session(gates: list[str], units: list[str]) -> None:
    if gates and units:
        raise pytest.UsageError(
            "the gates (marker `gate`: tests/gates, tests/browser, on the demo data) and the "
            "unit tests (on an empty database) run in two pytest sessions: `pytest tests`, "
            f"then `pytest -m gate tests` (see `make test`). Here: {gates[0]} with {units[0]}"
        )


def pytest_collection_finish(session):
    """Refuse a session that would run gates and unit tests together, and explain
    a session whose only tests were gates deselected by default."""
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller checks (a worker's error is unreadable)
    refuse_mixed_session(
        [item.nodeid for item in session.items if is_gate(item)],
        [item.nodeid for item in session.items if not is_gate(item)],
    )
    if not session.items and session.config.stash.get(_deselected_gates, 0):
        raise pytest.UsageError(
            "only gate tests were selected, and `pytest` leaves them out by default "
            '(`-m "not gate"` in pyproject.toml): run them with `-m gate`, e.g. '
            "`pytest -m gate tests/gates`"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """With pytest-xdist (-n), the same check on what a worker collected."""
    refuse_mixed_session(
        [nodeid for nodeid in ids if nodeid.startswith(GATE_NODE_PREFIXES)],
        [nodeid for nodeid in ids if not nodeid.startswith(GATE_NODE_PREFIXES)],
    )


def pytest_deselected(items):
    """Count the gates left out (by `-m "not gate"`, or -k), for the message above."""
    if items:
        config = items[0].config
        count = sum(is_gate(item) for item in items)
        config.stash[_deselected_gates] = config.stash.get(_deselected_gates, 0) + count


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
    # Creating `admin_client`'s user or logging in hashes a password: 0.2 s of
    # CPU each with the production hasher (PBKDF2, a million rounds). The
    # hasher of production is Django's default (settings.py does not set one).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
    in_gates = request.node.get_closest_marker("gate") is not None
    if not uses_db or transactional or in_gates or request.node.get_closest_marker("network_facts"):
        return
    request.getfixturevalue("db")
    remove_network_facts()


def remove_network_facts() -> None:
    """Take the network's facts out of the database, as `.delete()` would but
    without its collector and history rows: 9 queries instead of ~60 (about 30 ms
    on SQLite, 55 on PostgreSQL, before every unit test). Only the rows
    `migrate` brings exist at that point; tests/centres/test_network_facts.py
    checks that this removes exactly what `.delete()` removes."""
    from django.db.models import Q

    from centres.models import Axis, Centre, CentreAxis, Person, ReviewReminder, Role
    from rcp.models import Rcp

    centres = list(
        Centre.objects.filter(slug__in=NETWORK_FACT_CENTRES, is_demo=False).values_list(
            "pk", flat=True
        )
    )
    people = list(Person.objects.filter(is_demo=False).values_list("pk", flat=True))
    Axis.objects.filter(referent_centre__in=centres).update(referent_centre=None)
    for queryset in (
        Role.objects.filter(Q(centre__in=centres) | Q(person__in=people)),
        CentreAxis.objects.filter(centre__in=centres),
        Centre.services.through.objects.filter(centre__in=centres),
        Centre.editors.through.objects.filter(centre__in=centres),
        ReviewReminder.objects.filter(centre__in=centres),
        Rcp.participants.through.objects.filter(centre__in=centres),
        Centre.objects.filter(pk__in=centres),
        Person.objects.filter(pk__in=people),
    ):
        queryset._raw_delete(queryset.db)


@pytest.fixture
def axes(db):
    """The three axes (shipped by a data migration)."""
    return factories.axes()


@pytest.fixture
def centre(db):
    return factories.make_centre()
