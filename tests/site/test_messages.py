"""Messages a visitor reads when a search cannot be answered."""

import pytest
from django import forms

from core.forms import PlaceField

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


class PlaceForm(forms.Form):
    pres_de = PlaceField()


@pytest.mark.parametrize("value", ["99999", "00000", "29999 Brest"])
def test_a_five_digit_postcode_that_does_not_exist_is_said_so(value):
    form = PlaceForm({"pres_de": value})
    assert not form.is_valid()
    assert form.errors["pres_de"] == [
        f"Ce code postal n’existe pas{NBSP}: «{NBSP}{value}{NBSP}». Vérifiez-le, "
        "ou saisissez le nom de la commune."
    ]


def test_an_unknown_commune_still_gets_the_how_to_message():
    form = PlaceForm({"pres_de": "Atlantide"})
    assert not form.is_valid()
    assert form.errors["pres_de"][0].startswith(f"Nous ne trouvons pas «{NBSP}Atlantide{NBSP}»")


def test_an_existing_postcode_is_found():
    form = PlaceForm({"pres_de": "29200"})
    assert form.is_valid()
    assert form.cleaned_data["pres_de"].location is not None


def test_the_directory_answers_an_unknown_postcode_with_a_400_and_the_message(client):
    response = client.get("/centres/", {"pres_de": "99999"})
    assert response.status_code == 400
    assert "Ce code postal n’existe pas" in response.content.decode()
