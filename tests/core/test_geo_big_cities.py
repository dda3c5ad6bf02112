"""Paris, Lyon and Marseille are listed by arrondissement in the postcode file:
their name alone is the whole city, "Lyon 3e" one arrondissement."""

import pytest

from core import geo


@pytest.mark.parametrize(
    "query, label", [("Lyon", "Lyon"), ("paris", "Paris"), ("MARSEILLE", "Marseille")]
)
def test_a_big_city_is_one_place_without_a_choice(query, label):
    found = geo.lookup(query)
    assert found.choices == ()
    assert found.location.label == label


def test_lyon_is_the_middle_of_its_arrondissements():
    lyon = geo.lookup("Lyon").location
    assert geo.distance_km(lyon.latitude, lyon.longitude, 45.7640, 4.8357) < 3  # Lyon's centre


@pytest.mark.parametrize(
    "query, label",
    [
        ("Lyon 3e", "Lyon 03"),
        ("Paris 13eme arrondissement", "Paris 13"),
        ("Marseille 5", "Marseille 05"),
    ],
)
def test_an_arrondissement_by_its_usual_names(query, label):
    assert geo.lookup(query).location.label == label


def test_commune_places_know_cities_cedex_and_arrondissements():
    assert len(geo.commune_places("Lyon Cedex 03")) == 9
    assert {p.department for p in geo.commune_places("Paris")} == {"75"}
    assert [p.postcode for p in geo.commune_places("Lyon 8e")] == ["69008"]
    assert {p.department for p in geo.commune_places("Saint-Denis")} >= {"93", "974"}
    assert geo.commune_places("Nowhere-sur-Mer") == []
