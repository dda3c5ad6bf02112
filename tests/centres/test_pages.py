"""The centre page, the map page, the home page and the information pages."""

import re

import pytest
from django.urls import reverse

from centres.models import Role
from tests.factories import make_centre, make_person, make_role


@pytest.fixture
def brest(axes):
    centre = make_centre(
        name="CHU de Brest",
        slug="chu-brest",
        kind="pilot",
        phone="0298223333",
        email="accueil@example.org",
        axes=[axes["oesophage"], axes["pancreas"]],
        description="Le **centre pilote** du réseau.",
        referral="Écrire au secrétariat. <script>alert(1)</script>\n\n# Titre saisi",
        last_reviewed="2026-10-02",
    )
    axes["oesophage"].referent_centre = centre
    axes["oesophage"].save()
    metges = make_person(
        title="pr", first_name="Jean-Philippe", last_name="Metges", specialty="Oncologie médicale"
    )
    make_role(metges, kind=Role.Kind.NATIONAL_COORDINATOR, centre=centre)
    make_role(metges, kind=Role.Kind.AXIS_COORDINATOR, axis=axes["oesophage"], centre=centre)
    return centre


def test_centre_page_shows_contacts_axes_people_and_review_date(client, brest):
    response = client.get(brest.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>CHU de Brest</h1>" in html
    assert 'href="tel:0298223333"' in html and "02 98 22 33 33" in html
    assert "Œsophage et jonction œso-gastrique" in html
    assert "centre référent de l’axe" in html
    assert "Pr Jean-Philippe Metges" in html and "Coordination nationale" in html
    assert "· vérifié le 2 octobre 2026" in html
    assert "<strong>centre pilote</strong>" in html


def test_markdown_typed_in_the_admin_is_sanitised_and_headings_demoted(client, brest):
    html = client.get(brest.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<h3>Titre saisi</h3>" in html
    assert html.count("<h1") == 1


def test_unpublished_or_unknown_centre_is_a_french_404(client, axes):
    hidden = make_centre(slug="cache", is_published=False)
    for url in (hidden.get_absolute_url(), "/centres/nexiste-pas/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()


def test_demo_centre_says_so(client, axes):
    centre = make_centre(slug="demo", is_demo=True)
    html = client.get(centre.get_absolute_url()).content.decode()
    assert "Donnée de démonstration" in html


def test_centre_page_query_count_does_not_grow_with_people(
    client, brest, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as small:
        client.get(brest.get_absolute_url())
    for i in range(20):
        make_role(make_person(last_name=f"P{i}"), centre=brest, kind=Role.Kind.SECRETARY)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(brest.get_absolute_url())
    assert response.content.decode().count("Secrétariat") >= 20


def test_map_page_lists_every_centre_by_region_without_javascript(client, axes):
    make_centre(name="CHU de Brest", slug="b", axes=[axes["pancreas"]])
    make_centre(
        name="CHU de La Réunion",
        slug="r",
        city="Saint-Denis",
        postcode="97400",
        department_code="974",
        latitude=-20.89,
        longitude=55.45,
        phone="0262905050",
    )
    response = client.get(reverse("centres:map"))
    html = response.content.decode()
    assert "2 centres dans 2 régions" in html
    assert "<h3>Bretagne</h3>" in html and "<h3>La Réunion (outre-mer)</h3>" in html
    # One marker per centre on the server map: a point of a marker path each.
    paths = re.findall(r'<path class="map-markers"[^>]* d="([^"]*)"', html)
    assert sum(d.count("M") for d in paths) == 2
    assert 'id="map-data"' in html  # inert JSON for the optional interactive map


def test_map_page_query_count_is_constant(client, axes, django_assert_max_num_queries):
    for i in range(3):
        make_centre(slug=f"a{i}", axes=[axes["pancreas"]])
    with django_assert_max_num_queries(6) as small:
        client.get(reverse("centres:map"))
    for i in range(30):
        make_centre(slug=f"b{i}", axes=[axes["pancreas"], axes["oesophage"]])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("centres:map"))


def test_home_page_shows_axes_referents_coordinators_pilot_and_figures(client, brest):
    html = client.get(reverse("home")).content.decode()
    assert "Pancréas" in html and "Foie et voies biliaires" in html
    assert 'Centre référent\u00a0: <a href="/centres/chu-brest/">CHU de Brest</a>' in html
    assert "Coordination\u00a0: Pr Jean-Philippe Metges" in html
    assert "coordonné par Pr Jean-Philippe Metges" in html
    assert "<strong>1</strong> centre dans le réseau" in html
    assert 'action="/centres/"' in html and 'name="pres_de"' in html


@pytest.mark.parametrize(
    "name, text",
    [
        ("patients", "Questions à poser à votre médecin"),
        ("doctors", "Adresser un patient"),
        ("legal", "Licence Ouverte"),
        ("accessibility", "partiellement conforme"),
        ("privacy", "Aucune donnée de santé"),
    ],
)
def test_information_pages(client, db, name, text):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_every_page_has_the_shell_french_skip_link_and_landmarks(client, brest):
    for url in ("/", "/centres/", brest.get_absolute_url(), "/centres/carte/", "/patients/"):
        html = client.get(url).content.decode()
        assert '<html lang="fr">' in html
        assert '<a class="skip-link" href="#contenu">' in html
        assert '<main id="contenu"' in html and "<header" in html and "<footer" in html
        assert html.count("<h1") == 1, url
        assert "style=" not in html and "<script>" not in html, url
