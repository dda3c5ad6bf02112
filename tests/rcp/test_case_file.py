"""What an RCP file must contain, the form to fill in, where to send it, and
who sits at the table (quorum)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from demo.rcps import demo_case_form_pdf
from rcp.models import AxisCaseGuide, QuorumRule, RcpMember
from rcp.validators import validate_mssante
from tests import factories

from .factories import make_rcp

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(
        datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Paris")), tick=False
    ),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_rcp_page_lists_the_minimum_data_set_of_its_axis(client, axes):
    rcp = make_rcp(axes=[axes["pancreas"]])
    page = text(client.get(rcp.get_absolute_url()))
    assert '<h3 id="contenu-titre">Ce que le dossier doit contenir</h3>' in page
    # The seeded national items, then the axis's own.
    assert "<li>État général : indice de performance OMS (0 à 4)</li>" in page
    assert "<li>Poids, taille et perte de poids (en % sur 1 et 6 mois)</li>" in page
    assert "<li>La question posée à la RCP</li>" in page
    assert "CA 19-9, bilirubine et bilan hépatique" in page
    assert "Alpha-fœtoprotéine" not in page  # the liver axis's item


def test_an_rcp_of_several_axes_shows_each_axis_s_list(client, axes):
    rcp = make_rcp(axes=[axes["pancreas"], axes["foie-voies-biliaires"]])
    page = text(client.get(rcp.get_absolute_url()))
    assert page.count('<details class="case-guide"') == 2
    assert "CA 19-9, bilirubine et bilan hépatique" in page and "Alpha-fœtoprotéine" in page


def test_staff_edit_the_data_set_line_by_line(client, axes):
    guide = AxisCaseGuide.objects.get(axis=axes["oesophage"])
    guide.minimum_data = "- Compte rendu d’endoscopie\n\n* Scanner récent\n"
    guide.save()
    assert guide.items == ["Compte rendu d’endoscopie", "Scanner récent"]
    page = text(client.get(make_rcp(axes=[axes["oesophage"]]).get_absolute_url()))
    assert (
        '<ul class="checklist"><li>Compte rendu d’endoscopie</li><li>Scanner récent</li></ul>'
        in page
    )


def test_an_rcp_without_its_own_form_offers_its_axis_s_form(client, axes, media):
    guide = AxisCaseGuide.objects.get(axis=axes["pancreas"])
    guide.case_form.save("fiche-pancreas.pdf", ContentFile(demo_case_form_pdf("Pancreas")))
    rcp = make_rcp(axes=[axes["pancreas"]])
    page = text(client.get(rcp.get_absolute_url()))
    assert f'href="/rcp/{rcp.slug}/fiche-dossier/"' in page
    assert "la fiche commune aux RCP de l’axe" in page
    response = client.get(reverse("rcp:case_form", args=[rcp.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="fiche-rcp-{rcp.slug}.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # Its own form, once given, comes first.
    rcp.case_form.save("propre.pdf", ContentFile(demo_case_form_pdf("Propre")))
    page = text(client.get(rcp.get_absolute_url()))
    assert "la fiche commune" not in page


def test_an_rcp_without_any_form_offers_none(client, axes):
    rcp = make_rcp(axes=[axes["oesophage"]])
    assert "fiche-dossier" not in text(client.get(rcp.get_absolute_url()))
    assert client.get(reverse("rcp:case_form", args=[rcp.slug])).status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "rcp.digestif@chu-brest.mssante.fr",
        "secretariat@mssante.fr",
        "rcp@mssante.example.org",  # the demonstration's, never delivered
    ],
)
def test_secure_messaging_addresses_are_accepted(address):
    validate_mssante(address)


@pytest.mark.parametrize(
    "address", ["rcp@chu-brest.fr", "rcp@gmail.com", "rcp@mssante.fr.evil.com", "x@notmssante.fr"]
)
def test_an_ordinary_mailbox_is_refused_for_patient_files(address):
    with pytest.raises(ValidationError) as caught:
        validate_mssante(address)
    assert "n’est pas une adresse de messagerie sécurisée de santé" in str(caught.value)


def test_the_page_says_where_to_send_the_file(client):
    rcp = make_rcp(
        secretariat_mssante="rcp.digestif@chu-brest.mssante.fr", secretariat_phone="02 98 22 33 33"
    )
    page = text(client.get(rcp.get_absolute_url()))
    assert (
        "<dt>Messagerie sécurisée de santé (MSSanté)</dt><dd>"
        '<a href="mailto:rcp.digestif@chu-brest.mssante.fr">' in page
    )
    assert "<dt>Téléphone du secrétariat</dt>" in page
    assert "jamais par un courriel ordinaire" in page


def test_quorum_is_assured_with_surgeon_oncologist_and_radiotherapist(client):
    rcp = make_rcp()
    for specialty in ("surgery", "oncology", "radiotherapy"):
        RcpMember.objects.create(rcp=rcp, person=factories.make_person(), specialty=specialty)
    page = text(client.get(rcp.get_absolute_url()))
    assert "<dt>Chirurgie</dt>" in page and "<dt>Radiothérapie</dt>" in page
    assert 'Quorum : <strong class="status status-ok">assuré</strong>' in page


def test_quorum_to_complete_says_what_is_missing(client):
    rcp = make_rcp()
    for specialty in ("surgery", "oncology", "radiology", "pathology"):
        RcpMember.objects.create(rcp=rcp, person=factories.make_person(), specialty=specialty)
    page = text(client.get(rcp.get_absolute_url()))
    assert 'Quorum : <strong class="status status-closed">à compléter</strong>' in page
    assert "Il manque : radiothérapie." in page


def test_the_quorum_rule_is_the_network_s_own(client):
    rule = QuorumRule.objects.get(pk=1)
    rule.min_specialties = 5
    rule.save()
    rcp = make_rcp()
    for specialty in ("surgery", "oncology", "radiotherapy"):
        RcpMember.objects.create(rcp=rcp, person=factories.make_person(), specialty=specialty)
    page = text(client.get(rcp.get_absolute_url()))
    assert "au moins 5 spécialités différentes (il y en a 3)" in page


def test_an_rcp_without_members_says_its_composition_is_not_published(client):
    page = text(client.get(make_rcp().get_absolute_url()))
    assert "La composition de cette RCP n’est pas encore publiée." in page
    assert "au moins 3 spécialités" in page
