"""The demonstration data, loaded once per test module on a fixed date."""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management.base import OutputWrapper
from django.db import transaction

import demo

# The demo data depends on the date (reviews, exceptions, activity): load it on
# 23 November 2026, 10:00 in Paris.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def load_demo(*, reset: bool = False) -> tuple[str, demo.Writer]:
    out = io.StringIO()
    writer = demo.load(stdout=OutputWrapper(out), reset=reset)
    return out.getvalue(), writer


@pytest.fixture(scope="module")
def _demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo data once for the module, inside a transaction rolled back at
    its end; each test runs in a savepoint of it (loading takes seconds)."""
    from django.conf import settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "MEDIA_ROOT", tmp_path_factory.mktemp("media"))
        with django_db_blocker.unblock(), transaction.atomic():
            with time_machine.travel(NOW, tick=False):
                summary, _writer = load_demo()
            yield summary
            transaction.set_rollback(True)


@pytest.fixture
def clock():
    """The clock, stopped at NOW (move it with clock.shift / clock.move_to)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def loaded(_demo_database, db, clock):
    return _demo_database
