"""`manage.py bench_data`: the benchmark's data set, and what it tells about the pages."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centres.models import Centre, Person, Role
from demo.fiction import FICTION_PHONE_RE
from trials.models import Trial, TrialSite

SMALL = {"centres": 30, "people": 120, "rcps": 6, "trials": 20, "sites": 40}
LARGER = {"centres": 90, "people": 360, "rcps": 18, "trials": 60, "sites": 120}
# Public pages whose query count must not grow with the number of centres,
# people, RCPs and trials (lists are paginated or prefetched).
PAGES = [
    "/",
    "/centres/",
    "/centres/?q=banc",
    "/centres/?pres_de=29200",
    "/centres/?axe=pancreas&type=expert",
    "/centres/carte/",
    "/centres/banc-1/",
    "/rcp/",
    "/rcp/calendrier/",
    "/essais/",
    "/essais/?axe=pancreas&age=62&pres_de=Lyon&rayon=500",
    "/essais/flux/?axe=pancreas",
]


def bench_data(**sizes) -> str:
    out = StringIO()
    call_command("bench_data", stdout=out, **sizes)
    return out.getvalue()


def bench_centres():
    return Centre.objects.filter(slug__startswith="banc-")


def test_bench_data_builds_valid_fictional_centres_people_and_roles(db):
    output = bench_data(**SMALL)
    assert "Données du banc prêtes" in output
    centres = list(bench_centres())
    assert len(centres) == 30
    for centre in centres:
        centre.full_clean()  # coordinates in France, postcode of the department...
        assert centre.is_demo and FICTION_PHONE_RE.match(centre.phone)
        assert centre.search_text
    assert all(c.axis_links.exists() for c in centres)
    people = Person.objects.filter(email__endswith="@banc.example.org")
    assert people.count() == 120 and not people.filter(is_demo=False).exists()
    assert Role.objects.filter(person__in=people, centre__slug__startswith="banc-").count() == 120


def test_a_second_run_tops_up_without_duplicates(db):
    bench_data(**SMALL)
    output = bench_data(**SMALL)
    assert "0 centres créés, 0 personnes" in output
    assert bench_centres().count() == 30
    bench_data(**LARGER)
    assert bench_centres().count() == 90
    assert Person.objects.filter(email__endswith="@banc.example.org").count() == 360


def count_queries(client, url: str) -> int:
    client.get(url)  # process-wide lookups (postcode index...) load once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_no_page_makes_more_queries_when_the_data_grows(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # count the queries of a render
    bench_data(**SMALL)
    small = {url: count_queries(client, url) for url in PAGES}
    bench_data(**LARGER)
    larger = {url: count_queries(client, url) for url in PAGES}
    grown = {url: (small[url], larger[url]) for url in PAGES if larger[url] > small[url]}
    assert not grown, f"queries growing with the data (small, larger): {grown}"


def test_bench_trials_and_sites_can_be_built_again(db):
    bench_data(**SMALL)
    output = bench_data(**SMALL)
    assert Trial.objects.count() == 20
    assert TrialSite.objects.count() == 40
    assert Trial.axes.through.objects.count() == 20
    assert "20 essais et 40 lieux" in output
    trial = Trial.objects.get(nct_number="NCT09910000")
    assert trial.search_text == trial.compute_search_text()
