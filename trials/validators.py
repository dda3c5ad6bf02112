"""Validators of the registry identifiers a trial carries, as Django's own
validate_slug is written: a RegexValidator with its message."""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

NCT_RE = re.compile(r"^NCT\d{8}\Z")
EU_CT_RE = re.compile(r"^(?:19|20)\d{2}-\d{6}-\d{2}-\d{2}\Z")
EUDRACT_RE = re.compile(r"^(?:19|20)\d{2}-\d{6}-\d{2}\Z")

# A ClinicalTrials.gov identifier: "NCT" and 8 digits.
validate_nct_number = RegexValidator(
    NCT_RE,
    _("Le numéro NCT s’écrit «\u00a0NCT\u00a0» suivi de 8 chiffres (par exemple NCT01234567)."),
    code="nct_number",
)
# An EU CT number (Clinical Trials Information System): YYYY-NNNNNN-NN-NN.
validate_eu_ct_number = RegexValidator(
    EU_CT_RE,
    _("Le numéro EU CT s’écrit AAAA-NNNNNN-NN-NN (par exemple 2023-501234-12-00)."),
    code="eu_ct_number",
)
# A EudraCT number (the EU register before 2023): YYYY-NNNNNN-NN.
validate_eudract_number = RegexValidator(
    EUDRACT_RE,
    _("Le numéro EudraCT s’écrit AAAA-NNNNNN-NN (par exemple 2019-001234-56)."),
    code="eudract_number",
)
