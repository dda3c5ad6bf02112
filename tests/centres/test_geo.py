from hypothesis import given
from hypothesis import strategies as st

from core import geo


def test_brest_postcode_is_located_in_brest():
    found = geo.lookup("29200")
    assert found.location is not None
    assert found.location.label == "29200 Brest"
    assert 48.3 < found.location.latitude < 48.5
    assert -4.6 < found.location.longitude < -4.4


def test_every_overseas_department_has_postcodes():
    for postcode in ("97110", "97200", "97300", "97400", "97600"):
        assert geo.lookup(postcode).location is not None, postcode


def test_commune_name_without_accents_is_found():
    found = geo.lookup("saint etienne")
    assert found.location is not None
    assert found.location.label == "Saint-Étienne"


def test_commune_name_shared_by_several_communes_offers_choices():
    found = geo.lookup("Saint-Denis")
    assert found.location is None
    departments = {p.department for p in found.choices}
    assert {"93", "974"} <= departments


def test_unknown_postcode_finds_nothing():
    found = geo.lookup("00000")
    assert found.location is None and not found.choices


def test_start_of_a_name_offers_suggestions():
    found = geo.lookup("quimp")
    assert any(p.commune == "Quimper" for p in found.choices)


def test_distance_brest_paris_is_about_505_km():
    assert 500 < geo.distance_km(48.39, -4.49, 48.857, 2.352) < 510


@given(st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180))
def test_distance_is_symmetric_and_bounded(lat1, lon1, lat2, lon2):
    d = geo.distance_km(lat1, lon1, lat2, lon2)
    assert 0 <= d <= 20_016
    assert abs(d - geo.distance_km(lat2, lon2, lat1, lon1)) < 1e-6


@given(st.text(max_size=200))
def test_lookup_never_crashes(query):
    geo.lookup(query)
