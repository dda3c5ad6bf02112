"""Finding the right RCP: near a postcode or commune, and the plain-words guide."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from rcp.models import Rcp
from tests import factories

from .factories import make_exception, make_rcp

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(
        datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Paris")), tick=False
    ),
]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def network():
    brest = factories.make_centre(name="CHU de Brest (test)")
    lyon = factories.make_centre(
        name="HCL Lyon (test)",
        postcode="69003",
        city="Lyon",
        department_code="69",
        latitude=45.76,
        longitude=4.84,
    )
    paris = factories.make_centre(
        name="Pitié (test)",
        postcode="75013",
        city="Paris",
        department_code="75",
        latitude=48.84,
        longitude=2.36,
    )
    return {
        "lyon": make_rcp(name="RCP régionale de Lyon", organiser=lyon),
        "brest": make_rcp(name="RCP régionale de Brest", organiser=brest),
        "recourse": make_rcp(
            name="RCP nationale de recours", organiser=paris, scope=Rcp.Scope.RECOURSE
        ),
        "molecular": make_rcp(name="RCP moléculaire", organiser=paris, scope=Rcp.Scope.MOLECULAR),
    }


def test_rcps_near_a_postcode_come_nearest_first_with_the_national_ones_listed(client, network):
    page = text(client.get(reverse("rcp:directory") + "?pres_de=29200"))
    assert "RCP régionales et locales les plus proches de" in page
    nearby = page[: page.index("RCP nationales, ouvertes aux dossiers de toute la France")]
    assert nearby.index("RCP régionale de Brest") < nearby.index("RCP régionale de Lyon")
    assert re.search(r"<strong>À \d+ km</strong> du centre organisateur", nearby)
    for kind in ("recourse", "molecular"):
        link = f'href="{network[kind].get_absolute_url()}"'
        assert link not in nearby
        assert link in page[page.index("RCP nationales, ouvertes aux dossiers de toute") :]


def test_from_lyon_the_order_turns(client, network):
    page = text(client.get(reverse("rcp:directory") + "?pres_de=69003"))
    assert page.index("RCP régionale de Lyon") < page.index("RCP régionale de Brest")


def test_a_commune_shared_by_several_postcodes_asks_which_one(client, network):
    page = text(client.get(reverse("rcp:directory") + "?pres_de=Saint-Denis"))
    assert "Précisez la commune" in page
    assert "97400" in page  # Saint-Denis de La Réunion among the choices


def test_an_unknown_place_is_a_clear_400(client, network):
    response = client.get(reverse("rcp:directory") + "?pres_de=Atlantide")
    assert response.status_code == 400
    assert "Nous ne trouvons pas « Atlantide »" in text(response)


@pytest.mark.parametrize("value", ["%00", "9" * 200, "<script>", "2920"])
def test_hostile_places_never_fail(client, network, value):
    response = client.get(reverse("rcp:directory") + "?pres_de=" + value)
    assert response.status_code in (200, 400)
    assert "<h1>Trouver une RCP</h1>" in text(response)


def test_the_place_keeps_the_other_filters(client, network):
    page = text(client.get(reverse("rcp:directory") + "?pres_de=29200&portee=regional"))
    assert "RCP régionale de Brest" in page
    assert "Aucune RCP nationale ne correspond à ces critères." in page


def test_the_feed_of_a_search_near_a_place_has_the_same_rcps(client, network):
    response = client.get(reverse("rcp:directory") + "?pres_de=29200&portee=regional")
    network = response.context["feeds"][0]["meetings"]["https"]
    assert "pres_de" not in network
    assert "portee=regional" in network


def test_directory_near_a_place_has_constant_queries(
    client, network, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("rcp:directory") + "?pres_de=29200")
    for n in range(12):
        rcp = make_rcp(name=f"RCP régionale {n}")
        make_exception(rcp, datetime(2026, 12, 1).date())
        make_rcp(name=f"RCP de recours {n}", scope=Rcp.Scope.RECOURSE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("rcp:directory") + "?pres_de=29200")
    assert len(response.context["items"]) == 14
    assert sum(len(rows) for _heading, rows in response.context["national"]) == 14


def test_the_calendar_ignores_a_place(client, network):
    response = client.get(reverse("rcp:calendar") + "?pres_de=29200")
    assert response.status_code == 200


def test_the_guide_explains_each_kind_of_rcp_and_links_the_directory(client):
    page = text(client.get(reverse("rcp:guide")))
    assert "<h1>Quelle RCP pour mon patient ?</h1>" in page
    for scope in ("regional", "local", "recourse", "molecular"):
        assert f'href="/rcp/?portee={scope}"' in page
    assert 'action="/rcp/"' in page and 'name="pres_de"' in page


def test_the_doctors_page_leads_to_the_rcps(client):
    page = text(client.get(reverse("doctors")))
    assert 'href="/rcp/quelle-rcp/"' in page
    assert 'href="/rcp/"' in page and 'href="/rcp/calendrier/"' in page
    assert 'action="/rcp/"' in page
    assert 'href="/essais/"' in page


def test_national_rcps_near_a_place_are_compact_lines_with_their_next_meeting(client, network):
    page = text(client.get(reverse("rcp:directory") + "?pres_de=29200"))
    national = page[page.index("RCP nationales, ouvertes aux dossiers de toute") :]
    assert "<h3>RCP nationales de recours (deuxième avis)</h3>" in national
    assert "<h3>RCP moléculaires ou génomiques</h3>" in national
    assert national.index("RCP nationale de recours") < national.index("RCP moléculaire<")
    assert 'class="card rcp-card"' not in national
    assert "Prochaine séance ouverte aux dossiers : " in national
    assert ", dossiers avant le " in national
