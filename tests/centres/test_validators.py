import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from centres.validators import (
    luhn_ok,
    normalise_phone,
    validate_finess,
    validate_in_france,
    validate_phone,
    validate_postcode,
)


@pytest.mark.parametrize("value", ["750712184", "290000017", "330781196", "970408589", "2A0000010"])
def test_finess_accepts_well_formed_numbers_with_a_good_key(value):
    validate_finess(value)


def test_luhn_key_detects_a_changed_digit():
    assert luhn_ok("750712184")
    assert not luhn_ok("750712194")


@pytest.mark.parametrize(
    "value", ["75071218", "7507121840", "750712185", "ABCDEFGHI", "2C0000010", ""]
)
def test_finess_refuses_wrong_length_letters_or_key(value):
    with pytest.raises(ValidationError):
        validate_finess(value)


@pytest.mark.parametrize("value", ["29200", "75013", "20000", "97400", "97600", "01000"])
def test_postcode_accepts_mainland_corsica_and_overseas(value):
    validate_postcode(value)


@pytest.mark.parametrize("value", ["2920", "292000", "00100", "98000", "97700", "ABCDE", "29 200"])
def test_postcode_refuses_what_is_not_a_french_postcode(value):
    with pytest.raises(ValidationError):
        validate_postcode(value)


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("0298223333", "02 98 22 33 33"),
        ("02.98.22.33.33", "02 98 22 33 33"),
        ("+33 2 98 22 33 33", "02 98 22 33 33"),
        ("0033298223333", "02 98 22 33 33"),
        ("+262262905050", "+262 2 62 90 50 50"),
    ],
)
def test_phone_numbers_are_stored_in_one_display_form(raw, shown):
    validate_phone(raw)
    assert normalise_phone(raw) == shown


@pytest.mark.parametrize(
    "value", ["12345", "0098223333", "+44 20 7946 0958", "phone", "02 98 22 33"]
)
def test_phone_refuses_non_french_numbers(value):
    with pytest.raises(ValidationError):
        validate_phone(value)


@pytest.mark.parametrize(
    "lat, lon",
    [
        (48.39, -4.49),
        (41.92, 8.74),
        (16.24, -61.53),
        (14.6, -61.07),
        (4.93, -52.33),
        (-20.88, 55.45),
        (-12.78, 45.23),
    ],
)
def test_coordinates_in_mainland_corsica_and_overseas_are_accepted(lat, lon):
    validate_in_france(lat, lon)


@pytest.mark.parametrize("lat, lon", [(-4.49, 48.39), (51.5, -0.12), (0, 0), (48.39, 4.49 + 10)])
def test_coordinates_outside_france_or_swapped_are_refused(lat, lon):
    with pytest.raises(ValidationError, match="ni en métropole"):
        validate_in_france(lat, lon)


@given(st.text(max_size=40))
def test_phone_normalisation_never_crashes(value):
    normalise_phone(value)
