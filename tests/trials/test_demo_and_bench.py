"""Demonstration trials and bench data."""

import io

import pytest

from centres import demo as centres_demo
from trials import bench, demo
from trials.models import Trial, TrialSite


@pytest.fixture
def demo_centres(db):
    centres_demo.load(stdout=io.StringIO())


def test_every_demo_site_is_a_demo_centre():
    slugs = {c.slug for c in centres_demo.DEMO_CENTRES} | {
        c["slug"] for c in centres_demo.FACT_CENTRES
    }
    for trial in demo.TRIALS:
        for slug in trial.sites.split():
            assert slug.startswith("+") or slug.rstrip("*") in slugs, (trial.n, slug)


def test_demo_table_is_about_forty_trials_across_the_three_axes():
    assert 35 <= len(demo.TRIALS) <= 45
    assert len({t.n for t in demo.TRIALS}) == len(demo.TRIALS)
    for letter in "pof":
        assert sum(t.axis == letter for t in demo.TRIALS) >= 10


def test_demo_loads_through_the_import_and_is_marked_fictional(demo_centres):
    out = io.StringIO()
    demo.load(stdout=out)
    trials = Trial.objects.all()
    assert trials.count() == len(demo.TRIALS)
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
    assert all(centres_demo.FICTION_PHONE_RE.match(p) for p in phones)
    assert "40 de démonstration (40 créés" in out.getvalue()


def test_demo_twice_changes_nothing(demo_centres):
    demo.load(stdout=io.StringIO())
    history = Trial.history.count() + TrialSite.history.count()
    out = io.StringIO()
    demo.load(stdout=out)
    assert Trial.history.count() + TrialSite.history.count() == history
    assert "(0 créés, 0 mis à jour par l’import, 0 retouches éditoriales)" in out.getvalue()


def test_lyon_has_recruiting_pancreas_demo_trials_within_100_km(client, demo_centres, settings):
    settings.PAGE_CACHE_SECONDS = 0
    demo.load(stdout=io.StringIO())
    response = client.get("/essais/", {"pres_de": "69003", "axe": "pancreas", "rayon": "100"})
    items = response.context["items"]
    assert len(items) >= 5
    assert all(t.status == "RECRUITING" and km <= 100 for t, km, _sites in items)


def test_demo_without_centres_loads_nothing(db):
    out = io.StringIO()
    demo.load(stdout=out)
    assert not Trial.objects.exists()
    assert "aucun centre en base" in out.getvalue()


def test_bench_builds_trials_and_sites_and_can_be_run_again(demo_centres):
    bench.build(stdout=io.StringIO(), trials=30, sites=100)
    out = io.StringIO()
    bench.build(stdout=out, trials=30, sites=100)
    assert Trial.objects.count() == 30
    assert TrialSite.objects.count() == 100
    assert Trial.axes.through.objects.count() == 30
    assert "30 essais et 100 lieux" in out.getvalue()
    trial = Trial.objects.get(nct_number="NCT09910000")
    assert trial.search_text == trial.compute_search_text()


def test_bench_leaves_demo_trials_alone(demo_centres):
    demo.load(stdout=io.StringIO())
    bench.build(stdout=io.StringIO(), trials=10, sites=20)
    assert Trial.objects.filter(nct_number__lt="NCT09910000").count() == len(demo.TRIALS)
