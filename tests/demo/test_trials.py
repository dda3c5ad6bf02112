"""Demonstration trials: loaded through the registry import, fictional, never overwriting staff."""

import pytest

from centres.models import Centre
from demo import Writer
from demo import trials as demo
from demo.centres import demo_centres
from demo.fiction import FICTION_PHONE_RE
from rcp.models import Rcp, RcpActivity
from trials.models import Trial, TrialSite

from .conftest import load_demo

pytestmark = pytest.mark.network_facts
FACT_SLUGS = {"chu-brest", "chu-avicenne", "chu-pitie-salpetriere"}


def test_every_demo_site_is_a_centre_of_the_demo_or_a_fact():
    slugs = {c.slug for c in demo_centres()} | FACT_SLUGS
    for trial in demo.demo_trials():
        for slug in trial.sites.split():
            assert slug.startswith("+") or slug.rstrip("*") in slugs, (trial.n, slug)


def test_demo_table_is_about_forty_trials_across_the_three_axes():
    trials = demo.demo_trials()
    assert 35 <= len(trials) <= 45
    assert len({t.n for t in trials}) == len(trials)
    for axis in ("pancreas", "oesophage", "foie-voies-biliaires"):
        assert sum(t.axis == axis for t in trials) >= 10


def test_demo_loads_through_the_import_and_is_marked_fictional(loaded):
    trials = Trial.objects.all()
    assert trials.count() == len(demo.demo_trials())
    assert all(t.is_demo and t.is_published for t in trials)
    assert all(t.nct_number.startswith("NCT099") for t in trials)
    assert all(t.source == "registry" and t.plain_title and t.plain_summary for t in trials)
    assert all(not t.eu_ct_number or t.eu_ct_number.startswith("2099-") for t in trials)
    assert all(t.axes.count() == 1 for t in trials)
    assert TrialSite.objects.filter(centre__isnull=False).count() > 150
    assert TrialSite.objects.filter(centre__isnull=True).count() == 4
    emails = TrialSite.objects.exclude(contact_email="").values_list("contact_email", flat=True)
    assert all(e.endswith("@example.org") for e in emails)
    phones = TrialSite.objects.exclude(contact_phone="").values_list("contact_phone", flat=True)
    assert all(FICTION_PHONE_RE.match(p) for p in phones)
    assert "Essais\u00a0: 40 de démonstration, 40 créés" in loaded


def test_a_rerun_imports_nothing_and_keeps_staff_edits(loaded):
    trial = Trial.objects.get(nct_number=demo.nct(1))
    trial.plain_title = "Titre relu par l’équipe"
    trial.is_published = False
    trial.save()
    trial.sites.filter(centre__slug="chu-brest").delete()
    history = Trial.history.count() + TrialSite.history.count()

    summary, _writer = load_demo()

    trial.refresh_from_db()
    assert (trial.plain_title, trial.is_published) == ("Titre relu par l’équipe", False)
    assert not trial.sites.filter(centre__slug="chu-brest").exists()
    assert Trial.history.count() + TrialSite.history.count() == history
    assert "40 de démonstration, 0 créés" in summary


def test_a_reset_imports_the_demo_trials_again_and_puts_staff_fields_back(loaded):
    trial = Trial.objects.get(nct_number=demo.nct(1))
    original = trial.plain_title
    trial.plain_title = "Titre relu par l’équipe"
    trial.save()
    trial.sites.filter(centre__slug="chu-brest").delete()

    _summary, writer = load_demo(reset=True)

    trial.refresh_from_db()
    assert trial.plain_title == original
    assert trial.sites.filter(centre__slug="chu-brest").exists()
    # The import flags the site it adds back for review; the reset clears the flag too.
    assert any(
        change.startswith(f"Essai {demo.nct(1)} : titre en langage courant")
        for change in writer.changes
    )


def test_lyon_has_recruiting_pancreas_demo_trials_within_100_km(client, loaded):
    response = client.get("/essais/", {"pres_de": "69003", "axe": "pancreas", "rayon": "100"})
    items = response.context["items"]
    assert len(items) >= 5
    assert all(card.status == "Recrute" and card.distance <= 100 for card in items)


def test_demo_without_centres_loads_nothing(db):
    # This module may have loaded the demo: remove what protects the centres first.
    RcpActivity.objects.all().delete()
    Rcp.objects.all().delete()
    Trial.objects.all().delete()
    Centre.objects.all().delete()
    assert demo.load(Writer()) == (
        "Essais\u00a0: aucun centre en base, essais de démonstration non chargés."
    )
    assert not Trial.objects.exists()
