"""The finder, its feed, a trial page and the printable selection read the same
number of queries with a few trials as with many: the counts are pinned at two
data sizes (the benchmark measures their time, `make bench`)."""

import pytest
from django.urls import reverse

from trials.models import Trial

from .factories import make_site, make_trial

FINDER = reverse("trials:finder")

# What each page reads, whatever the number of trials:
# the finder form's choices (axes, regions, centres: 3), then without a place the
# count and the page (2) and the cards' axes and sites (2); with a place the
# centres' coordinates and the open sites in range (2), then the cards (3).
CASES = [
    (FINDER, {}, 7),
    (FINDER, {"statut": "tous", "axe": "pancreas", "phase": "PHASE3", "q": "série"}, 7),
    (FINDER, {"region": "auvergne-rhone-alpes", "centre": "heh-lyon", "age": "60"}, 7),
    (FINDER, {"axe": "pancreas", "age": "62", "pres_de": "Lyon"}, 8),
    (FINDER, {"pres_de": "69003", "rayon": "500", "statut": "tous"}, 8),
    (reverse("trials:feed"), {"axe": "pancreas"}, 4),
    (reverse("trials:feed"), {"pres_de": "69003", "age": "62"}, 6),
]


def _populate(axes, centres, n):
    for i in range(n):
        trial = make_trial(
            plain_title=f"Essai en série {i}",
            conditions="Pancreatic Cancer\nCachexia",
            phase="PHASE3",
            min_age=18,
            max_age=80,
            axes=[axes["pancreas"], axes["oesophage"]],
            sites=[centres["lyon"], centres["saint_etienne"], centres["brest"]],
        )
        make_site(trial, None, facility_name=f"Clinique {i}", facility_city="Lyon")


@pytest.mark.parametrize("url, params, count", CASES)
def test_finder_and_feed_queries_are_the_same_for_3_and_25_trials(
    client,
    axes,
    centres,
    url,
    params,
    count,
    django_assert_num_queries,
):
    client.get(url, params)  # the place lookup reads its file once per process
    _populate(axes, centres, 3)
    with django_assert_num_queries(count):
        few = client.get(url, params)
    _populate(axes, centres, 22)
    with django_assert_num_queries(count):
        many = client.get(url, params)
    assert few.status_code == many.status_code == 200
    assert many.content.decode().count("Essai en série") >= 20


def test_the_printable_selection_reads_as_much_for_1_as_for_20_trials(
    client,
    axes,
    centres,
    django_assert_num_queries,
):
    """The trials with their axes, sites, centres and the centres' axes (4), the
    glossary (1)."""
    _populate(axes, centres, 20)
    ids = list(Trial.objects.order_by("pk").values_list("pk", flat=True))
    url = reverse("trials:print")
    with django_assert_num_queries(5):
        assert client.get(url, {"essai": ids[:1], "pres_de": "Lyon"}).status_code == 200
    with django_assert_num_queries(5):
        body = client.get(url, {"essai": ids[:20], "pres_de": "Lyon"}).content.decode()
    assert body.count('<article class="print-trial"') == 20


def test_a_trial_page_reads_as_much_with_1_site_as_with_30(
    client,
    axes,
    centres,
    django_assert_num_queries,
):
    trial = make_trial(conditions="Pancreatic Cancer", sites=[centres["lyon"]])
    with django_assert_num_queries(5):
        client.get(trial.get_absolute_url(), {"pres_de": "Lyon"})
    for i in range(15):
        make_site(trial, centres["brest"], status="RECRUITING")
        make_site(trial, None, facility_name=f"Clinique {i}", facility_city="Brest")
    with django_assert_num_queries(5):
        assert client.get(trial.get_absolute_url(), {"pres_de": "Lyon"}).status_code == 200
