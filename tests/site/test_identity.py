"""Who runs the site, at first sight: logo, INCa label, menu state, contact and legal pages."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from centres.models import Centre
from tests import factories
from tests.site.html import links, section, text

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def menu(html: str) -> list[dict]:
    start = html.index('<nav aria-label="Menu principal">')
    return links(html[start : html.index("</nav>", start)])


def current(html: str) -> dict[str, str]:
    return {link["text"]: link["aria-current"] for link in menu(html) if "aria-current" in link}


def test_every_page_shows_the_logo_the_name_and_the_inca_label(client):
    logo = (Path(django_settings.BASE_DIR) / "static" / "img" / "logo.svg").read_text().strip()
    for path in ("/", "/contact/", "/centres/", "/mentions-legales/"):
        html = client.get(path).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert logo in header  # the same drawing as the vendored file, inline
        assert "PAN-TOGETHER" in text(header)
        assert "Réseau labellisé par l’Institut national du cancer (INCa)" in text(header)
        assert "https://" not in header  # nothing from a CDN


def test_the_menu_marks_the_current_section_and_its_sub_pages(client):
    centre = factories.make_centre()
    assert current(client.get("/").content.decode()) == {}
    assert current(client.get("/centres/").content.decode()) == {"Centres experts": "page"}
    assert current(client.get(centre.get_absolute_url()).content.decode()) == {
        "Centres experts": "true"
    }
    assert current(client.get("/centres/carte/").content.decode()) == {"Carte": "page"}
    assert current(client.get("/rcp/").content.decode()) == {"RCP": "page"}
    assert current(client.get("/rcp/quelle-rcp/").content.decode()) == {"RCP": "true"}
    assert current(client.get("/essais/").content.decode()) == {"Essais cliniques": "page"}
    assert current(client.get("/patients/").content.decode()) == {"Patients et proches": "page"}
    assert current(client.get("/medecins/").content.decode()) == {"Médecins": "page"}
    assert current(client.get("/contact/").content.decode()) == {"Contact": "page"}


def test_the_current_section_is_styled_not_only_announced():
    css = (Path(django_settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    assert ".nav a[aria-current]" in css


def test_contact_is_linked_from_the_menu_and_the_footer(client):
    html = client.get("/").content.decode()
    assert "/contact/" in [link["href"] for link in menu(html)]
    footer = html[html.index("<footer") : html.index("</footer>")]
    assert "/contact/" in [link["href"] for link in links(footer)]


def test_contact_page_says_whom_to_call_for_what(client, settings):
    settings.NETWORK_EMAIL = "reseau@example.org"
    pilot = factories.make_centre(name="CHU de Brest", slug="chu-brest", kind=Centre.Kind.PILOT)
    html = client.get("/contact/").content.decode()
    page = text(html)
    assert "Cancer Info, le service de l’Institut national du cancer, au 0805 123 124" in page
    assert "0805 123 124 (service et appel gratuits)" in page
    assert 'href="tel:0805123124"' in html
    assert 'href="mailto:reseau@example.org"' in html
    assert f"Centre pilote{NBSP}: CHU de Brest 2 avenue Foch 29609 Brest Cedex" in page
    patients = section(html, "Vous êtes patient ou proche")
    assert "/centres/" in [link["href"] for link in links(patients)]
    doctors = section(html, "Vous êtes médecin")
    hrefs = [link["href"] for link in links(doctors)]
    assert "/rcp/" in hrefs and "/rcp/quelle-rcp/" in hrefs
    assert "secrétariat" in text(doctors)
    assert pilot.get_absolute_url() in html


def test_contact_page_falls_back_to_the_default_address_when_the_setting_is_missing(
    client, settings
):
    if hasattr(settings, "NETWORK_EMAIL"):
        del settings.NETWORK_EMAIL
    html = client.get("/contact/").content.decode()
    assert 'href="mailto:contact@pan-together.fr"' in html


def test_legal_page_names_the_publication_director_and_the_host(client, settings):
    settings.PUBLICATION_DIRECTOR = "Pr Jean Dupont, coordonnateur national"
    settings.HOSTING_PROVIDER = "Hébergeur SAS, 1 rue de l’Exemple, 75000 Paris"
    page = text(client.get("/mentions-legales/").content.decode())
    assert f"Directeur de la publication{NBSP}: Pr Jean Dupont, coordonnateur national." in page
    assert f"Hébergeur{NBSP}: Hébergeur SAS, 1 rue de l’Exemple, 75000 Paris." in page


def test_legal_page_says_plainly_when_director_and_host_are_not_set(client):
    # The defaults of settings.py, read from an empty environment.
    page = text(client.get("/mentions-legales/").content.decode())
    assert "PUBLICATION_DIRECTOR non définie" in page
    assert "HOSTING_PROVIDER non définie" in page
