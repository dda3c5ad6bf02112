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
        (" 02-98-22-33-33 ", "02 98 22 33 33"),
        ("+33 2 98 22 33 33", "02 98 22 33 33"),
        ("+33 (0)2 98 22 33 33", "02 98 22 33 33"),
        ("0033298223333", "02 98 22 33 33"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("+33 7 81 23 45 67", "07 81 23 45 67"),
        ("09 12 34 56 78", "09 12 34 56 78"),
        # 08 numbers in pairs too, as before (phonenumbers writes "0 800 12 34 56").
        ("0800123456", "08 00 12 34 56"),
        ("0825000000", "08 25 00 00 00"),
    ],
)
def test_mainland_numbers_are_stored_in_pairs(raw, shown):
    validate_phone(raw)
    assert normalise_phone(raw) == shown


@pytest.mark.parametrize(
    "raw, shown",
    [
        # La Réunion: landline and mobile, with its code, nationally, or with +33.
        ("+262262905050", "0262 90 50 50"),
        ("+262 2 62 90 50 50", "0262 90 50 50"),  # the form the portal stored before
        ("02 62 90 50 50", "0262 90 50 50"),
        ("+33 2 62 90 50 50", "0262 90 50 50"),
        ("0692 12 34 56", "0692 12 34 56"),
        ("+262 693 12 34 56", "0693 12 34 56"),
        ("+33 6 92 12 34 56", "0692 12 34 56"),
        # Mayotte shares +262; +269, its code until 2007, is still written.
        ("+262 269 61 80 00", "0269 61 80 00"),
        ("0269618000", "0269 61 80 00"),
        ("+269 269 61 80 00", "0269 61 80 00"),
        ("+262 639 01 23 45", "0639 01 23 45"),
        # Guadeloupe, Guyane, Martinique.
        ("+590 590 89 10 10", "0590 89 10 10"),
        ("0690 00 12 34", "0690 00 12 34"),
        ("+594 594 39 50 50", "0594 39 50 50"),
        ("0694 20 12 34", "0694 20 12 34"),
        ("+596 596 55 20 00", "0596 55 20 00"),
        ("05 96 55 20 00", "0596 55 20 00"),
        ("+596 696 20 12 34", "0696 20 12 34"),
    ],
)
def test_overseas_numbers_are_stored_in_their_national_grouping(raw, shown):
    validate_phone(raw)
    assert normalise_phone(raw) == shown


@pytest.mark.parametrize(
    "value",
    ["01 99 00 12 34", "02 61 91 00 42", "03 53 01 99 99", "04 65 71 00 00", "05 36 49 50 50"],
)
def test_arcep_fiction_ranges_of_the_demo_data_are_valid_numbers(value):
    """ARCEP keeps these ranges for fiction; phonenumbers' metadata has them as
    allocated landlines, so the demo data passes validation with no exception."""
    validate_phone(value)
    assert normalise_phone(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "12345",
        "0098223333",
        "+44 20 7946 0958",
        "phone",
        "02 98 22 33",
        "02 98 22 33 33 33",
        "Tél. 02 98 22 33 33",
        "02 98 22 33 33 poste 12",
        "0639 12 34 56",  # a Mayotte mobile range not allocated
        "+269 773 12 34",  # the Comoros
        "+508 41 12 34",  # Saint-Pierre-et-Miquelon: not a department
        "",
    ],
)
def test_phone_refuses_what_is_not_a_french_number_in_french(value):
    with pytest.raises(ValidationError, match="numéro de téléphone français à 10 chiffres") as e:
        validate_phone(value)
    assert e.value.code == "phone"


@pytest.mark.parametrize(
    "value", ["+1 555 010 0199", "+44 20 7946 0958", "02 98 22 33 33 ext. 45", "see website"]
)
def test_what_is_not_a_french_number_is_kept_as_written(value):
    """The registry import keeps foreign and odd numbers as the record gives them."""
    assert normalise_phone(f"  {value} ") == value


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
