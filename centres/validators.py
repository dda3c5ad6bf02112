"""Validators for the facts a centre or a person publishes."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.geo import france_area

FINESS_RE = re.compile(r"^(?:\d{2}|2[AB])\d{7}$")
POSTCODE_RE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|97[1-6])\d{2,3}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
_PHONE_DIGITS = re.compile(r"\+?\d+")
# Mainland France and Corsica, and the overseas departments, which have their
# own country codes: +262 Réunion and Mayotte, +590 Guadeloupe (and
# Saint-Barthélemy, Saint-Martin), +594 Guyane, +596 Martinique.
FRENCH_REGIONS = frozenset({"FR", "RE", "YT", "GP", "BL", "MF", "GF", "MQ"})
# The overseas departments' regions, to read a national number "0…" with.
_OVERSEAS_REGIONS = ("RE", "GP", "GF", "MQ")
_GEOGRAPHIC_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
# Mainland numbers in pairs, as the portal has always written them; for 08
# numbers phonenumbers writes "0 800 12 34 56".
_MAINLAND_PAIRS = phonenumbers.NumberFormat(
    pattern=r"(\d)(\d{2})(\d{2})(\d{2})(\d{2})",
    format=r"\1 \2 \3 \4 \5",
    national_prefix_formatting_rule=r"0\1",
)


def luhn_ok(digits: str) -> bool:
    """Luhn checksum, used by the FINESS key (the 9th digit)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def validate_finess(value: str) -> None:
    """A FINESS number: 9 characters, department first, Luhn key last."""
    if not FINESS_RE.match(value or ""):
        raise ValidationError(
            _(
                "Le numéro FINESS compte 9 caractères\u00a0: 9 chiffres, ou 2A/2B suivi de 7 "
                "chiffres."
            ),
            code="finess_format",
        )
    # Corsican numbers (2A/2B) carry a key computed on a substitute we do not
    # know for certain; check the key on all-digit numbers only.
    if value.isdigit() and not luhn_ok(value):
        raise ValidationError(
            _("Ce numéro FINESS n’est pas valide (clé de contrôle incorrecte)."),
            code="finess_key",
        )


def validate_postcode(value: str) -> None:
    """A French postcode: five digits, mainland, Corsica (20) or overseas (971-976)."""
    if not re.fullmatch(r"\d{5}", value or "") or not POSTCODE_RE.match(value):
        raise ValidationError(
            _("Saisissez un code postal français à 5 chiffres (par exemple 29200)."),
            code="postcode",
        )


def _french_number(value: str) -> phonenumbers.PhoneNumber | None:
    """The mainland or overseas number that `value` writes, or None.

    Only digits, a leading + or 00, and the usual separators: a text around
    the number ("Tél. : …", "… poste 12") is not a number.
    """
    raw = _PHONE_SEPARATORS.sub("", value or "")
    if not _PHONE_DIGITS.fullmatch(raw):
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+33") and len(raw) == 12:
        # Overseas numbers are often written +33 6 92… though their code is
        # +262, +590…: read them as the national number 06 92…, as dialled in France.
        raw = "0" + raw[3:]
    elif raw.startswith("+269") and len(raw) == 13:
        # Mayotte's code until 2007, still written "+269 269 61 23 45"; +269 is
        # now the Comoros', whose numbers have 7 digits, not 9.
        raw = "+262" + raw[4:]
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return None
    nationwide = (  # 08 and 09 numbers: the same from mainland France and overseas
        phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) not in _GEOGRAPHIC_TYPES
    )
    if raw.startswith("0") and not nationwide:
        # Overseas ranges first: theirs are precise (0262, 0590, 0692…), while
        # the mainland metadata takes a few of them (0269, 0596…) as its own.
        for region in _OVERSEAS_REGIONS:
            overseas = phonenumbers.parse(raw, region)
            if phonenumbers.is_valid_number(overseas):
                return overseas
    if (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) in FRENCH_REGIONS
    ):
        return number
    return None


def normalise_phone(value: str) -> str:
    """A French number in its display form: "02 98 22 33 33" in mainland France,
    "0262 90 50 50" or "0692 12 34 56" overseas; anything else as it was written
    (a registry record may give a foreign number)."""
    number = _french_number(value)
    if number is None:
        return value.strip() if value else ""
    if phonenumbers.region_code_for_number(number) == "FR":
        return phonenumbers.format_by_pattern(
            number, phonenumbers.PhoneNumberFormat.NATIONAL, [_MAINLAND_PAIRS]
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def validate_phone(value: str) -> None:
    """A French phone number, mainland or overseas, in a range that is allocated."""
    if _french_number(value) is None:
        raise ValidationError(
            _(
                "Saisissez un numéro de téléphone français à 10 chiffres "
                "(par exemple 02 98 22 33 33) ou avec son indicatif (+262…)."
            ),
            code="phone",
        )


def validate_in_france(latitude: float | None, longitude: float | None) -> None:
    """Coordinates must fall in mainland France, Corsica or an overseas department."""
    if latitude is None or longitude is None:
        return
    if france_area(latitude, longitude) is None:
        raise ValidationError(
            _(
                "Ces coordonnées (%(lat)s, %(lon)s) ne sont ni en métropole ni dans un "
                "département d’outre-mer\u00a0: vérifiez la latitude, la longitude et leur signe."
            ),
            params={"lat": latitude, "lon": longitude},
            code="coordinates",
        )
