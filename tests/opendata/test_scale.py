"""The API, the datasets and the site search on the benchmark's data set
(`manage.py bench_data`) at two sizes: their query counts do not grow."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

SMALL = {"centres": 30, "people": 120, "rcps": 6, "trials": 20, "sites": 40}
LARGER = {"centres": 90, "people": 360, "rcps": 18, "trials": 60, "sites": 120}
URLS = [
    "/api/centres/",
    "/api/centres/?pres_de=29200&page_size=100",
    "/api/personnes/?page_size=100",
    "/api/rcp/?page_size=100",
    "/api/essais/?page_size=100",
    # A search with answers at both sizes (an empty page skips its prefetches).
    "/api/essais/?pres_de=75013&statut=recrute",
    "/donnees-ouvertes/centres.csv",
    "/donnees-ouvertes/rcp.json",
    "/donnees-ouvertes/essais.csv",
    "/donnees-ouvertes/selection/essais.csv?axe=pancreas",
    "/recherche/?q=centre",
    "/recherche/?q=pancreas",
    "/recherche/?q=banc&type=centres",
    "/sitemap.xml",
    "/sitemap-centres.xml",
    "/sitemap-essais.xml",
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def test_no_answer_makes_more_queries_when_the_data_grows(client):
    call_command("bench_data", stdout=StringIO(), **SMALL)
    small = {url: count_queries(client, url) for url in URLS}
    call_command("bench_data", stdout=StringIO(), **LARGER)
    larger = {url: count_queries(client, url) for url in URLS}
    grown = {url: (small[url], larger[url]) for url in URLS if larger[url] != small[url]}
    assert not grown, grown
