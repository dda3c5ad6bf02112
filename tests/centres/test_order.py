"""Directories in French alphabetical order, text searches by relevance, and
what a patient searching from overseas reads."""

import re

import pytest
from django.urls import reverse

from centres.models import Region
from rcp.models import Rcp
from tests import factories
from tests.rcp.factories import make_rcp

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def centre_names(response):
    return [centre.name for centre, _km in response.context["items"]]


def test_the_centre_directory_is_in_french_alphabetical_order(client):
    for name in (
        "CHU Pitié-Salpêtrière",
        "Hôpital Beaujon",
        "CHU de Besançon",
        "Centre Léon-Bérard",
    ):
        factories.make_centre(name=name)
    names = centre_names(client.get(reverse("centres:directory")))
    # Case, accents and punctuation ignored: « de » before « Pitié », « Hô » among the H.
    assert names.index("CHU de Besançon") < names.index("CHU Pitié-Salpêtrière")
    assert names.index("Centre Léon-Bérard") < names.index("CHU de Besançon")
    assert names[-1] == "Hôpital Beaujon"


def test_a_text_search_puts_matches_in_the_name_first(client):
    factories.make_centre(name="Centre hospitalier Aubert", city="Brest")
    factories.make_centre(name="Clinique de Brest")
    names = centre_names(client.get(reverse("centres:directory") + "?q=brest"))
    assert names == ["Clinique de Brest", "Centre hospitalier Aubert"]


def test_an_rcp_named_for_la_reunion_comes_before_a_meeting_room(client):
    make_rcp(name="RCP digestive Paris-Est", place="Salle de réunion du 3e étage")
    make_rcp(name="RCP régionale de La Réunion")
    page = text(client.get(reverse("rcp:directory") + "?q=R%C3%A9union"))
    assert page.index("RCP régionale de La Réunion") < page.index("RCP digestive Paris-Est")


def test_a_region_lists_the_rcps_organised_there_first(client):
    reunion = factories.make_centre(
        postcode="97400",
        city="Saint-Denis",
        department_code="974",
        latitude=-20.89,
        longitude=55.45,
    )
    mayotte = factories.make_centre(
        postcode="97600", city="Mamoudzou", department_code="976", latitude=-12.78, longitude=45.23
    )
    make_rcp(name="RCP de cancérologie de Mayotte", organiser=mayotte, participants=[reunion])
    make_rcp(name="RCP régionale de La Réunion", organiser=reunion)
    region = Region.objects.get(departments__code="974")
    page = text(client.get(reverse("rcp:directory") + f"?region={region.slug}"))
    assert page.index("RCP régionale de La Réunion") < page.index("RCP de cancérologie de Mayotte")
    assert Rcp.objects.count() == 2


def test_a_search_from_la_reunion_says_how_patients_are_referred(client):
    factories.make_centre(
        name="CHU de La Réunion (test)",
        postcode="97400",
        city="Saint-Denis",
        department_code="974",
        latitude=-20.89,
        longitude=55.45,
    )
    factories.make_centre(name="CHU de Brest (test)")
    page = text(client.get(reverse("centres:directory") + "?pres_de=97400"))
    assert "Depuis La Réunion" in page
    assert page.index("CHU de La Réunion (test)") < page.index("CHU de Brest (test)")
    assert 'href="/rcp/?portee=recourse"' in page
    assert "accord préalable" in page
    mainland = text(client.get(reverse("centres:directory") + "?pres_de=29200"))
    assert "Depuis " not in mainland


def test_the_directory_queries_do_not_grow_with_the_centres(client, django_assert_max_num_queries):
    factories.make_centre()
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("centres:directory") + "?q=centre")
    for _ in range(25):
        factories.make_centre()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("centres:directory") + "?q=centre")
