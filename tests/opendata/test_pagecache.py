"""The open data and the search with the page cache on, as in production."""

import pytest

from search.models import MissedSearch
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_api_answers_are_computed_each_time_and_validated_by_their_own_etag(client):
    centre = factories.make_centre(name="Avant")
    first = client.get("/api/centres/")
    assert first.json()["results"][0]["name"] == "Avant"
    centre.name = "Après"
    centre.save()
    second = client.get("/api/centres/", headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200  # not an entry of the page cache
    assert second.json()["results"][0]["name"] == "Après"
    third = client.get("/api/centres/", headers={"If-None-Match": second["ETag"]})
    assert third.status_code == 304


def test_every_search_that_finds_nothing_is_counted_with_the_cache_on(client):
    for _ in range(3):
        assert client.get("/recherche/?q=zebulon").status_code == 200
    assert MissedSearch.objects.get().count == 3


def test_html_pages_of_the_content_are_cached_as_the_others(client):
    factories.make_centre(name="Centre de Brest")
    html = client.get("/recherche/?q=brest").content.decode()
    assert "Centre de Brest" in html
    factories.make_centre(name="Autre centre de Brest")
    # Served from the page cache for a minute, as every public page.
    assert client.get("/recherche/?q=brest").content.decode() == html
