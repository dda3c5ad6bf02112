"""Validators of the registry identifiers a trial carries."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NCT_RE = re.compile(r"^NCT\d{8}$")
EU_CT_RE = re.compile(r"^(?:19|20)\d{2}-\d{6}-\d{2}-\d{2}$")
EUDRACT_RE = re.compile(r"^(?:19|20)\d{2}-\d{6}-\d{2}$")


def validate_nct_number(value: str) -> None:
    """A ClinicalTrials.gov identifier: "NCT" and 8 digits."""
    if not NCT_RE.match(value or ""):
        raise ValidationError(
            _("Le numéro NCT s’écrit « NCT » suivi de 8 chiffres (par exemple NCT01234567)."),
            code="nct_number",
        )


def validate_eu_ct_number(value: str) -> None:
    """An EU CT number (Clinical Trials Information System): YYYY-NNNNNN-NN-NN."""
    if not EU_CT_RE.match(value or ""):
        raise ValidationError(
            _("Le numéro EU CT s’écrit AAAA-NNNNNN-NN-NN (par exemple 2023-501234-12-00)."),
            code="eu_ct_number",
        )


def validate_eudract_number(value: str) -> None:
    """A EudraCT number (the EU register before 2023): YYYY-NNNNNN-NN."""
    if not EUDRACT_RE.match(value or ""):
        raise ValidationError(
            _("Le numéro EudraCT s’écrit AAAA-NNNNNN-NN (par exemple 2019-001234-56)."),
            code="eudract_number",
        )
