"""Patients' words on public pages: "cancer" rather than "axe", centre kinds explained."""

import re

import pytest

from centres.models import Centre
from tests import factories
from tests.site.html import text

pytestmark = pytest.mark.django_db


def test_directory_filter_says_cancer_and_keeps_the_axe_parameter(client):
    html = client.get("/centres/").content.decode()
    assert re.search(r'<label for="id_axe">Cancer\s*:?</label>', html)
    assert '<option value="" selected>Tous les cancers</option>' in html
    assert 'name="axe"' in html


def test_home_page_speaks_of_cancers_not_axes(client):
    page = text(client.get("/").content.decode())
    assert not re.search(r"\baxes?\b", page, re.IGNORECASE)
    assert "Trois groupes de cancers, trois centres référents" in page
    assert "Tous les cancers" in page


def test_directory_filters_by_axe_as_before_and_names_the_cancer(client):
    axes = factories.axes()
    factories.make_centre(name="Centre du pancréas", axes=[axes["pancreas"]])
    factories.make_centre(name="Centre du foie", axes=[axes["foie-voies-biliaires"]])
    page = text(client.get("/centres/", {"axe": "pancreas", "pres_de": "29200"}).content.decode())
    assert "Centre du pancréas" in page and "Centre du foie" not in page
    assert "1 centre (cancer\u00a0: pancréas)" in page


def test_kind_filter_offers_partner_centres_and_finds_them(client):
    factories.make_centre(name="Hôpital partenaire de test", kind=Centre.Kind.PARTNER)
    factories.make_centre(name="Centre expert de test", kind=Centre.Kind.EXPERT)
    html = client.get("/centres/").content.decode()
    assert '<option value="partner">Centre partenaire</option>' in html
    page = text(client.get("/centres/", {"type": "partner"}).content.decode())
    assert "Hôpital partenaire de test" in page and "Centre expert de test" not in page


def test_directory_explains_the_four_centre_kinds_next_to_the_cards(client):
    factories.make_centre(kind=Centre.Kind.PARTNER)
    html = client.get("/centres/").content.decode()
    explanation = html[
        html.index('<details class="centre-kinds">') : html.index(
            "</details>", html.index('<details class="centre-kinds">')
        )
    ]
    terms = re.findall(r"<dt>(.*?)</dt>", explanation)
    assert terms == ["Centre pilote", "Centre référent", "Centre expert", "Centre partenaire"]
    assert html.index("centre-kinds") < html.index('class="card centre-card"')


@pytest.mark.parametrize(
    "path", ["/centres/", "/rcp/", "/rcp/calendrier/", "/rcp/indicateurs/", "/documents/"]
)
def test_every_cancer_filter_is_labelled_cancer(client, path):
    html = client.get(path).content.decode()
    label = re.search(r'<label for="id_axe">(.*?)</label>', html).group(1)
    assert label.rstrip(" :\u00a0") == "Cancer"
    assert "Tous les axes" not in html
