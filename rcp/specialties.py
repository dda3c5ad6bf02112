"""The medical specialties that sit at an RCP, and the quorum rule they meet.

Specialties are a short fixed vocabulary (codes stored, French names shown).
A set of them is stored as its codes, sorted and joined by commas
("oncology,radiotherapy,surgery"): an RCP activity record keeps the
specialties present at a meeting that way, and the quorum rule the
specialties it requires.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from core.text import normalise


class Specialty(models.TextChoices):
    SURGERY = "surgery", _("chirurgie")
    ONCOLOGY = "oncology", _("oncologie médicale")
    RADIOTHERAPY = "radiotherapy", _("radiothérapie")
    RADIOLOGY = "radiology", _("radiologie")
    PATHOLOGY = "pathology", _("anatomie et cytologie pathologiques")
    GASTROENTEROLOGY = "gastro", _("gastro-entérologie")
    HEPATOLOGY = "hepatology", _("hépatologie")
    NUCLEAR = "nuclear", _("médecine nucléaire")
    OTHER = "other", _("autre spécialité")


# The national rule (circulaire du 22 février 2005, INCa): at least three
# specialties, the surgeon, the medical oncologist and the radiotherapist among them.
NATIONAL_MIN_SPECIALTIES = 3
NATIONAL_REQUIRED = (Specialty.SURGERY, Specialty.ONCOLOGY, Specialty.RADIOTHERAPY)

_ORDER = {code: index for index, code in enumerate(Specialty.values)}
# Normalised French names and codes -> code, for imports.
_NAMES = {normalise(str(label)): code for code, label in Specialty.choices} | {
    code: code for code in Specialty.values
}


def join(codes: Iterable[str]) -> str:
    """The stored text of a set of codes: in the vocabulary's order, each once."""
    return ",".join(sorted(set(codes), key=_ORDER.__getitem__))


def split(text: str) -> list[str]:
    return [code for code in text.split(",") if code] if text else []


def names(text: str) -> list[str]:
    """The French names of stored codes."""
    labels = dict(Specialty.choices)
    return [str(labels[code]) for code in split(text) if code in labels]


def validate_codes(text: str) -> None:
    unknown = [code for code in split(text) if code not in _ORDER]
    if unknown:
        raise ValidationError(
            _("Spécialité inconnue : %(codes)s."), params={"codes": ", ".join(unknown)}
        )


def code_for(name: str) -> str | None:
    """The code of a specialty named in French or by its code (imports)."""
    return _NAMES.get(normalise(name).strip())


def missing(present: Iterable[str], *, minimum: int, required: Iterable[str]) -> list[str]:
    """What keeps these specialties from the quorum: the French names of the
    required ones absent, and "N spécialités" when there are too few."""
    present = set(present)
    labels = dict(Specialty.choices)
    gaps = [str(labels[code]) for code in required if code not in present]
    if len(present) < minimum:
        gaps.append(f"au moins {minimum} spécialités différentes (il y en a {len(present)})")
    return gaps


def with_codes(queryset, field: str = "specialties"):
    """Annotate `specialty_codes`: the stored codes between commas, so that
    `quorum_condition` can find one code exactly (",surgery,")."""
    return queryset.annotate(specialty_codes=Concat(Value(","), F(field), Value(",")))


def quorum_condition(*, minimum: int, required: Iterable[str]) -> Q:
    """A database condition on activity records annotated by `with_codes`:
    their specialties were recorded and meet the rule."""
    condition = Q(specialties_present__gte=minimum) & ~Q(specialties="")
    for code in required:
        condition &= Q(specialty_codes__contains=f",{code},")
    return condition
