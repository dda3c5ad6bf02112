"""A place typed by the visitor is named with French elision: "d’Angers", "de Brest"."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "heading"),
    [
        ("Angers", "Centres les plus proches d’Angers"),
        ("Brest", "Centres les plus proches de Brest"),
    ],
)
def test_nearest_centres_heading_elides_before_a_vowel(client, typed, heading):
    page = client.get("/centres/", {"pres_de": typed}).content.decode()
    assert heading in page


def test_nearest_rcps_heading_elides_before_a_vowel(client):
    page = client.get("/rcp/", {"pres_de": "Orléans"}).content.decode()
    assert "RCP régionales et locales les plus proches d’Orléans" in page
