import pytest
from django.core.exceptions import ValidationError

from trials.validators import validate_eu_ct_number, validate_eudract_number, validate_nct_number


@pytest.mark.parametrize(
    "validator, value",
    [
        (validate_nct_number, "NCT01234567"),
        (validate_nct_number, "NCT09880500"),
        (validate_eu_ct_number, "2023-501234-12-00"),
        (validate_eu_ct_number, "1999-000001-01-99"),
        (validate_eudract_number, "2019-001234-56"),
        (validate_eudract_number, "2004-000123-45"),
    ],
)
def test_well_formed_identifiers_pass(validator, value):
    validator(value)


@pytest.mark.parametrize(
    "validator, value, message, code",
    [
        (validate_nct_number, "NCT1234567", "«\u00a0NCT\u00a0» suivi de 8 chiffres", "nct_number"),
        (validate_nct_number, "nct01234567", "«\u00a0NCT\u00a0» suivi de 8 chiffres", "nct_number"),
        (
            validate_nct_number,
            "NCT012345678",
            "«\u00a0NCT\u00a0» suivi de 8 chiffres",
            "nct_number",
        ),
        (
            validate_nct_number,
            "NCT01234567\n",
            "«\u00a0NCT\u00a0» suivi de 8 chiffres",
            "nct_number",
        ),
        (
            validate_nct_number,
            " NCT01234567",
            "«\u00a0NCT\u00a0» suivi de 8 chiffres",
            "nct_number",
        ),
        (validate_eu_ct_number, "2023-501234-12", "AAAA-NNNNNN-NN-NN", "eu_ct_number"),
        (validate_eu_ct_number, "2123-501234-12-00", "AAAA-NNNNNN-NN-NN", "eu_ct_number"),
        (
            validate_eu_ct_number,
            "2023\u2013501234\u201312\u201300",
            "AAAA-NNNNNN-NN-NN",
            "eu_ct_number",
        ),
        (validate_eudract_number, "2019-001234-56-00", "AAAA-NNNNNN-NN ", "eudract_number"),
        (validate_eudract_number, "19-001234-56", "AAAA-NNNNNN-NN ", "eudract_number"),
        (validate_eudract_number, "", "AAAA-NNNNNN-NN ", "eudract_number"),
    ],
)
def test_malformed_identifiers_are_refused_in_french(validator, value, message, code):
    with pytest.raises(ValidationError) as info:
        validator(value)
    assert message in info.value.messages[0]
    assert info.value.code == code
