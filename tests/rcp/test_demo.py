"""The RCP demonstration data: realistic, marked as such, idempotent, with one dip."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from centres import demo as centres_demo
from rcp import demo
from rcp.models import Rcp, RcpActivity, RcpException
from rcp.schedule import upcoming

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def _demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the centres' and the RCPs' demo data once for the module, on 23 November
    2026, inside a transaction rolled back at its end (loading takes seconds)."""
    from django.conf import settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: NOW)
        patch.setattr(timezone, "localdate", lambda *a, **k: NOW.date())
        patch.setattr(settings, "MEDIA_ROOT", tmp_path_factory.mktemp("media"))
        with django_db_blocker.unblock(), transaction.atomic():
            centres_demo.load(stdout=io.StringIO())
            out = io.StringIO()
            demo.load(stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def loaded(_demo_database, db):
    return _demo_database


def counts():
    return (
        Rcp.objects.count(),
        RcpException.objects.count(),
        RcpActivity.objects.count(),
        Rcp.history.count(),
        RcpException.history.count(),
    )


def test_demo_rcps_cover_axes_scopes_and_overseas_zones(loaded):
    rcps = list(Rcp.objects.prefetch_related("axes"))
    assert 15 <= len(rcps) <= 25
    assert all(r.is_demo and r.is_published for r in rcps)
    assert {r.scope for r in rcps} >= {"recourse", "regional", "molecular", "local"}
    assert {a.slug for r in rcps for a in r.axes.all()} == {
        "pancreas",
        "oesophage",
        "foie-voies-biliaires",
    }
    assert {r.timezone for r in rcps} == {
        "Europe/Paris",
        "America/Guadeloupe",
        "America/Martinique",
        "America/Cayenne",
        "Indian/Reunion",
        "Indian/Mayotte",
    }
    for rcp in rcps:
        rcp.full_clean()
    assert "RCP\u00a0: 20 de démonstration" in loaded


def test_demo_has_cancelled_and_moved_meetings(loaded):
    kinds = set(RcpException.objects.values_list("kind", flat=True))
    assert kinds == {"cancelled", "moved"}
    rcp = Rcp.objects.prefetch_related("exceptions").get(slug="recours-pancreas")
    listed = upcoming(rcp, now=NOW, limit=10)
    assert any(m.is_moved for m in listed)


def test_demo_activity_covers_a_year_and_a_half_up_to_today(loaded):
    days = RcpActivity.objects.values_list("date", flat=True)
    assert min(days) <= NOW.date() - timedelta(days=540)
    assert max(days) < NOW.date()
    assert not RcpActivity.objects.filter(date__gt=NOW.date()).exists()
    # No activity on a cancelled (public holiday) date.
    assert not RcpActivity.objects.filter(date__month=12, date__day=25).exists()


def test_demo_dip_raises_an_alert_on_the_network_page(client, loaded):
    response = client.get(reverse("rcp:indicators"))
    alerts = [row.period.start for row in response.context["alerts"]]
    assert date(2026, 10, 1) in alerts
    october = next(r for r in response.context["rows"] if r.period.start == date(2026, 10, 1))
    assert october.changes["files"] < -20


def test_the_dip_follows_the_calendar_so_the_demo_always_shows_an_alert(
    client, loaded, monkeypatch
):
    def files_in(first, last):
        return sum(
            RcpActivity.objects.filter(date__range=(first, last)).values_list(
                "files_discussed", flat=True
            )
        )

    october_dipped = files_in(date(2026, 10, 1), date(2026, 10, 31))
    later = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later.date())

    demo.load(stdout=io.StringIO())

    assert demo.dip_month(later.date()) == (date(2026, 12, 1), date(2026, 12, 31))
    assert files_in(date(2026, 10, 1), date(2026, 10, 31)) > october_dipped / demo.DIP_FACTOR * 0.9
    response = client.get(reverse("rcp:indicators"))
    alerts = [row.period.start for row in response.context["alerts"]]
    assert date(2026, 12, 1) in alerts
    assert date(2026, 10, 1) not in alerts


def test_demo_case_form_is_a_real_pdf(loaded):
    rcp = Rcp.objects.get(slug="recours-pancreas")
    with default_storage.open(rcp.case_form.name) as handle:
        assert handle.read(5) == b"%PDF-"


def test_second_load_changes_nothing(loaded):
    before = counts()
    demo.load(stdout=io.StringIO())
    assert counts() == before
