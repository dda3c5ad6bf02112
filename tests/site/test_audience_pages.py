"""The patients' and doctors' pages lead somewhere: every section links to what it names."""

import pytest

from tests.site.html import links, section, text

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def hrefs(html: str) -> set[str]:
    return {link["href"] for link in links(html)}


def test_doctors_page_rcp_section_links_the_directory_the_guide_and_the_subscription(client):
    html = client.get("/medecins/").content.decode()
    rcp = section(html, "Présenter un dossier en RCP")
    assert {"/rcp/", "/rcp/quelle-rcp/", "/rcp/abonnement/"} <= hrefs(rcp)


def test_doctors_page_trial_section_links_the_trial_finder(client):
    html = client.get("/medecins/").content.decode()
    assert "/essais/" in hrefs(section(html, "Orienter vers un essai clinique"))


def test_linked_subscription_page_explains_how_to_choose_without_an_error(client):
    response = client.get("/rcp/abonnement/")
    assert response.status_code == 200
    assert "Aucune RCP choisie" in text(response.content.decode())


def test_patients_page_links_the_trial_finder_and_the_glossaries(client):
    html = client.get("/patients/").content.decode()
    assert {"/essais/", "/glossaire/", "/essais/glossaire/"} <= hrefs(html)


def test_patients_page_gives_the_free_helplines(client):
    html = client.get("/patients/").content.decode()
    resources = text(section(html, "S’informer et être soutenu"))
    assert f"Cancer Info, le service d’information de l’Institut national du cancer{NBSP}:" in (
        resources
    )
    assert "0805 123 124 (service et appel gratuits)" in resources
    assert f"La Ligue contre le cancer{NBSP}: 0800 940 939 (service et appel gratuits)" in resources
    assert 'href="tel:0805123124"' in html and 'href="tel:0800940939"' in html


def test_patients_page_explains_the_second_opinion_and_overseas_referral(client):
    html = client.get("/patients/").content.decode()
    second = text(section(html, "Demander un deuxième avis"))
    assert "droit du patient" in second and "Parlez-en à votre médecin" in second
    overseas = text(section(html, "Vous habitez en outre-mer"))
    assert "Assurance maladie" in overseas and "accord préalable" in overseas
    assert "métropole" in overseas
