"""Validators for the facts a centre or a person publishes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.geo import france_area

FINESS_RE = re.compile(r"^(?:\d{2}|2[AB])\d{7}$")
POSTCODE_RE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|97[1-6])\d{2,3}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
# National numbers (10 digits starting with 0) and the overseas international
# prefixes (+590 Guadeloupe, +596 Martinique, +594 Guyane, +262 Réunion/Mayotte).
_PHONE_RE = re.compile(r"^(?:0[1-9]\d{8}|\+33[1-9]\d{8}|\+(?:262|269|590|594|596)\d{9})$")


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
            _("Le numéro FINESS compte 9 caractères : 9 chiffres, ou 2A/2B suivi de 7 chiffres."),
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


def normalise_phone(value: str) -> str:
    """Phone numbers in one display form: "02 98 22 33 33" or "+262 2 62 90 50 50"."""
    raw = _PHONE_SEPARATORS.sub("", value or "")
    if raw.startswith("0033"):
        raw = "+33" + raw[4:]
    if raw.startswith("+33") and len(raw) == 12:
        raw = "0" + raw[3:]
    if not _PHONE_RE.match(raw):
        return value.strip() if value else ""
    if raw.startswith("0"):
        return " ".join(raw[i : i + 2] for i in range(0, 10, 2))
    prefix, rest = raw[:4], raw[4:]
    return f"{prefix} {rest[0]} " + " ".join(rest[i : i + 2] for i in range(1, 9, 2))


def validate_phone(value: str) -> None:
    """A French phone number, mainland or overseas."""
    raw = _PHONE_SEPARATORS.sub("", value or "")
    if raw.startswith("0033"):
        raw = "+33" + raw[4:]
    if not _PHONE_RE.match(raw):
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
                "département d’outre-mer : vérifiez la latitude, la longitude et leur signe."
            ),
            params={"lat": latitude, "lon": longitude},
            code="coordinates",
        )
