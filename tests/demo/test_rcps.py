"""The RCP demonstration data: realistic, marked as such, never overwriting staff, one dip."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from centres.models import Centre
from demo import Writer
from demo import rcps as demo
from rcp.models import QuorumRule, Rcp, RcpActivity, RcpException, RcpMember
from rcp.schedule import upcoming

from .conftest import NOW, load_demo

pytestmark = pytest.mark.network_facts


def counts():
    return (
        Rcp.objects.count(),
        RcpException.objects.count(),
        RcpActivity.objects.count(),
        Rcp.history.count(),
        RcpException.history.count(),
        RcpMember.objects.count(),
        RcpMember.history.count(),
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
    # No activity on a public holiday (none of the demo RCPs meets then).
    assert not RcpActivity.objects.filter(date__month=12, date__day=25).exists()
    assert not RcpActivity.objects.filter(date__month=11, date__day=1).exists()


def test_every_demo_rcp_says_what_to_send_where_and_who_sits(client, loaded):
    rule = QuorumRule.current()
    states = set()
    for rcp in Rcp.objects.for_detail():
        assert rcp.case_form_file(), rcp.slug
        assert rcp.case_guides(), rcp.slug
        assert rcp.secretariat_mssante.endswith("@mssante.example.org"), rcp.slug
        assert rcp.secretariat_phone, rcp.slug
        rcp.full_clean()
        members = list(rcp.members.all())
        assert members and all(m.person.is_demo for m in members), rcp.slug
        states.add(not rule.gaps(m.specialty for m in members))
        page = " ".join(client.get(rcp.get_absolute_url()).content.decode().split())
        assert "Ce que le dossier doit contenir" in page
        assert "Télécharger la fiche de présentation du dossier" in page
        assert rcp.secretariat_mssante in page
    assert states == {True, False}  # both « assuré » and « à compléter » are shown


def test_demo_activity_records_the_specialties_present(loaded):
    recorded = RcpActivity.objects.exclude(specialties="")
    assert recorded.count() == RcpActivity.objects.count()
    without_radiotherapy = recorded.exclude(specialties__contains="radiotherapy").count()
    assert 0 < without_radiotherapy < recorded.count() / 4


def test_demo_dip_raises_an_alert_on_the_network_page(client, loaded):
    response = client.get(reverse("rcp:indicators"))
    alerts = [row.period.start for row in response.context["alerts"]]
    assert date(2026, 10, 1) in alerts
    october = next(r for r in response.context["rows"] if r.period.start == date(2026, 10, 1))
    assert october.changes["files"] < -20


def test_a_later_run_adds_the_meetings_held_since_and_changes_no_record(client, loaded, clock):
    def files_in(first, last):
        return sum(
            RcpActivity.objects.filter(date__range=(first, last)).values_list(
                "files_discussed", flat=True
            )
        )

    october = files_in(date(2026, 10, 1), date(2026, 10, 31))
    records = {a.pk: (a.date, a.files_discussed) for a in RcpActivity.objects.all()}
    clock.move_to(datetime(2027, 1, 12, 9, 0, tzinfo=UTC))

    load_demo()

    assert files_in(date(2026, 10, 1), date(2026, 10, 31)) == october
    kept = {a.pk: (a.date, a.files_discussed) for a in RcpActivity.objects.filter(pk__in=records)}
    assert kept == records
    added = RcpActivity.objects.exclude(pk__in=records)
    assert added.exists()
    assert min(added.values_list("date", flat=True)) >= NOW.date()
    assert max(added.values_list("date", flat=True)) <= date(2027, 1, 12)


def test_a_reset_moves_the_dip_to_the_last_full_month(client, loaded, clock):
    def files_in(first, last):
        return sum(
            RcpActivity.objects.filter(date__range=(first, last)).values_list(
                "files_discussed", flat=True
            )
        )

    october_dipped = files_in(date(2026, 10, 1), date(2026, 10, 31))
    later = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
    clock.move_to(later)

    _summary, writer = load_demo(reset=True)

    assert demo.dip_month(later.date()) == (date(2026, 12, 1), date(2026, 12, 31))
    assert files_in(date(2026, 10, 1), date(2026, 10, 31)) > october_dipped / demo.DIP_FACTOR * 0.9
    assert any(line.startswith("Activité de recours-pancreas :") for line in writer.changes)
    response = client.get(reverse("rcp:indicators"))
    alerts = [row.period.start for row in response.context["alerts"]]
    assert date(2026, 12, 1) in alerts
    assert date(2026, 10, 1) not in alerts


def test_staff_edits_of_a_demo_rcp_survive_a_rerun_and_a_reset_puts_them_back(loaded):
    rcp = Rcp.objects.get(slug="pancreas-bretagne")
    rcp.name = "RCP pancréas de Bretagne (nouveau nom)"
    rcp.is_published = False
    rcp.save()
    participants = set(rcp.participants.all())
    rcp.participants.remove(*list(participants)[:2])
    members = set(rcp.members.values_list("person_id", "specialty"))
    assert members
    rcp.members.all().delete()

    load_demo()

    rcp.refresh_from_db()
    assert (rcp.name, rcp.is_published) == ("RCP pancréas de Bretagne (nouveau nom)", False)
    assert set(rcp.participants.all()) == set(list(participants)[2:])
    assert not rcp.members.exists()

    _summary, writer = load_demo(reset=True)

    rcp.refresh_from_db()
    assert (rcp.name, rcp.is_published) == ("RCP régionale pancréas Bretagne", True)
    assert set(rcp.participants.all()) == participants
    assert set(rcp.members.values_list("person_id", "specialty")) == members
    assert any(
        line.startswith("RCP pancreas-bretagne : centres participants ajout")
        for line in writer.changes
    )


def test_demo_case_form_is_a_real_pdf(loaded):
    rcp = Rcp.objects.get(slug="recours-pancreas")
    with default_storage.open(rcp.case_form.name) as handle:
        assert handle.read(5) == b"%PDF-"


def test_second_load_changes_nothing(loaded):
    before = counts()
    load_demo()
    assert counts() == before


def test_an_rcp_whose_organiser_is_missing_is_skipped(loaded):
    RcpActivity.objects.filter(rcp__slug="digestif-mayotte").delete()
    Rcp.objects.filter(slug="digestif-mayotte").delete()
    Centre.objects.filter(slug="ch-mayotte").update(slug="ch-mayotte-renomme")
    summary = demo.load(Writer())  # the RCPs alone: the centres' loader would bring it back
    assert "Centres absents, RCP ignorées\u00a0: digestif-mayotte." in summary
    assert not Rcp.objects.filter(slug="digestif-mayotte").exists()


def test_demo_activity_has_versions_with_the_demo_reason(loaded):
    # Here rather than in tests/history: the module's demo data is loaded once.
    assert RcpActivity.objects.exists()
    reasons = set(RcpActivity.history.values_list("history_change_reason", flat=True))
    assert reasons == {"Données de démonstration (demo_data)"}
