"""Issue 12: an unpublished centre never shows on a public surface.

One unpublished centre, named with a marker no other row holds, is everything
a centre can be elsewhere on the site: the organiser of an RCP, a participant
of another (published) RCP, the referent of an axis with a person holding the
axis coordination there, and the matched site of a published recruiting
trial. Every public URL is read: the marker, its slug and its phone number
never appear. Then the centre is published and they do appear where expected,
so that the test can fail.
"""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from centres.models import Role
from tests import factories
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_site, make_trial

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Monday
MARKER = "Zéphyr"
PHONE = "02 61 91 00 99"
SITE_PHONE = "02 61 91 00 98"  # the registry's contact at the centre's site
FINESS = "290000058"


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def world(axes):
    pancreas = axes["pancreas"]
    ghost = factories.make_centre(
        name="Centre Fantôme Zéphyr",
        short_name="Fantôme Zéphyr",
        slug="centre-fantome-zephyr",
        city="Quimper",
        postcode="29000",
        latitude=47.996,
        longitude=-4.102,
        phone=PHONE,
        finess=FINESS,
        axes=[pancreas],
        is_published=False,
    )
    brest = factories.make_centre(
        name="CHU de Brest — Hôpital Morvan", short_name="CHU de Brest", slug="chu-brest"
    )
    ghost_rcp = make_rcp(
        name="RCP pancréas du Centre Fantôme Zéphyr",
        slug="rcp-zephyr-pancreas",
        organiser=ghost,
        participants=[brest],
        axes=[pancreas],
        secretariat_phone="02 61 91 00 97",
    )
    brest_rcp = make_rcp(
        name="RCP régionale pancréas de Bretagne",
        slug="rcp-bretagne",
        organiser=brest,
        participants=[brest, ghost],
        axes=[pancreas],
    )
    pancreas.referent_centre = ghost
    pancreas.save()
    person = factories.make_person(first_name="Aurore", last_name="Zéphyrin", specialty="Chirurgie")
    factories.make_role(person, kind=Role.Kind.AXIS_COORDINATOR, centre=ghost, axis=pancreas)
    trial = make_trial(plain_title="Essai pancréas à Quimper et Brest", axes=[pancreas])
    make_site(trial, brest, source="registry", facility_name="CHU Brest", facility_city="Brest")
    make_site(
        trial,
        ghost,
        source="registry",
        facility_name="Centre Fantôme Zéphyr",
        facility_city="Quimper",
        investigator="Dr Aurore Zéphyrin",
        contact_phone=SITE_PHONE,
    )
    return {
        "ghost": ghost,
        "brest": brest,
        "ghost_rcp": ghost_rcp,
        "brest_rcp": brest_rcp,
        "trial": trial,
        "pancreas": pancreas,
    }


def public_urls(world) -> list[str]:
    trial = world["trial"].pk
    axes = [axis.slug for axis in factories.axes().values()]
    rcps = [world["brest_rcp"].slug]
    urls = [
        "/",
        "/centres/",
        "/centres/?axe=pancreas",
        "/centres/carte/",
        "/centres/chu-brest/",
        "/rcp/",
        "/rcp/?pres_de=29200",
        "/rcp/?centre=chu-brest",
        "/rcp/calendrier/",
        "/rcp/calendrier/?semaine=2026-W49",
        "/rcp/calendrier/?mois=2026-12",
        "/rcp/agenda.ics",
        "/rcp/echeances.ics",
        "/rcp/centre/chu-brest.ics",
        "/rcp/echeances/centre/chu-brest.ics",
        f"/rcp/abonnement/?rcp={rcps[0]}",
        "/rcp/indicateurs/",
        "/essais/",
        "/essais/?statut=tous",
        "/essais/?pres_de=29000",
        f"/essais/{trial}/",
        f"/essais/imprimer/?essai={trial}",
        "/essais/flux/",
        "/essais/flux/?statut=tous",
        "/api/axes/",
        "/api/centres/",
        "/api/centres/?pres_de=29000",
        "/api/personnes/",
        "/api/personnes/?axe=pancreas",
        "/api/rcp/",
        "/api/rcp/?pres_de=29000",
        f"/api/rcp/{rcps[0]}/",
        "/api/essais/",
        f"/api/essais/{trial}/",
        "/donnees-ouvertes/",
        "/recherche/?q=Zéphyr",
        "/recherche/?q=Quimper",
        "/recherche/?q=pancréas",
        "/sitemap.xml",
        "/sitemap-centres.xml",
        "/sitemap-rcp.xml",
        "/sitemap-essais.xml",
    ]
    for slug in rcps:
        urls += [f"/rcp/{slug}/", f"/rcp/{slug}.ics", f"/rcp/echeances/{slug}.ics"]
    for slug in axes:
        urls += [f"/rcp/axe/{slug}.ics", f"/rcp/echeances/axe/{slug}.ics"]
    for dataset in ("centres", "rcp", "essais"):
        urls += [
            f"/donnees-ouvertes/{dataset}.csv",
            f"/donnees-ouvertes/{dataset}.json",
            f"/donnees-ouvertes/selection/{dataset}.csv",
        ]
    return urls


def body(response) -> str:
    if hasattr(response, "streaming_content"):
        text = b"".join(response.streaming_content).decode()
    else:
        text = response.content.decode()
    # iCalendar folds long lines (CRLF and a space): unfold before searching.
    return text.replace("\r\n ", "").replace("\\u00e9", "é")


def leaks(text: str) -> list[str]:
    """The traces of the ghost centre in a page: its name, slug, phone."""
    found = []
    if MARKER in text or "zephyr" in text.lower():
        found.append(MARKER)
    if PHONE in text or PHONE.replace(" ", "") in text:
        found.append(PHONE)
    if SITE_PHONE in text:
        found.append(SITE_PHONE)
    if FINESS in text:
        found.append(FINESS)
    return found


def without_query_echo(text: str) -> str:
    """The search page without the words typed, which it repeats (title, og:title,
    field, heading)."""
    for echo in (f"«\u00a0{MARKER}\u00a0»", f"« {MARKER} »", f'value="{MARKER}"'):
        text = text.replace(echo, "")
    return text


def test_an_unpublished_centre_never_shows_on_a_public_url(client, world):
    failures = {}
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = body(response)
        if url == f"/recherche/?q={MARKER}":
            assert f"Aucun résultat pour «\u00a0{MARKER}\u00a0»" in text
            text = without_query_echo(text)
        found = leaks(text)
        if found:
            failures[url] = found
    assert failures == {}, "\n".join(f"{url}: {found}" for url, found in failures.items())


def test_its_own_pages_and_feeds_are_not_found(client, world):
    for url in (
        "/centres/centre-fantome-zephyr/",
        "/rcp/centre/centre-fantome-zephyr.ics",
        "/rcp/echeances/centre/centre-fantome-zephyr.ics",
        "/api/centres/centre-fantome-zephyr/",
        f"/rcp/{world['ghost_rcp'].slug}/",
        f"/rcp/{world['ghost_rcp'].slug}.ics",
        f"/rcp/echeances/{world['ghost_rcp'].slug}.ics",
        f"/rcp/{world['ghost_rcp'].slug}/fiche-dossier/",
        f"/api/rcp/{world['ghost_rcp'].slug}/",
    ):
        assert client.get(url).status_code == 404, url


def test_its_trial_site_shows_as_a_site_in_its_city_only(client, world):
    trial = world["trial"]
    page = body(client.get(f"/essais/{trial.pk}/"))
    assert "Un site à Quimper" in page
    assert "CHU de Brest — Hôpital Morvan" in page  # the published site, by name

    api = client.get(f"/api/essais/{trial.pk}/").json()
    quimper = [site for site in api["sites"] if site["facility_city"] == "Quimper"]
    assert quimper == [
        {
            "centre": None,
            "facility_name": "",
            "facility_city": "Quimper",
            "status": "RECRUITING",
            "investigator": "",
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
        }
    ]
    assert [site["centre"] for site in api["sites"]] == ["chu-brest", None]

    rows = json.loads(body(client.get("/donnees-ouvertes/essais.json")))
    assert [row["id"] for row in rows] == [trial.pk]


def test_the_rcp_it_organises_is_public_again_once_it_is_published(client, world):
    """The other side: published, the centre shows where the rules put it."""
    ghost = world["ghost"]
    ghost.is_published = True
    ghost.save()
    expected = {
        # The pancreas axis's referent centre and its coordinator there.
        "/": ['<a href="/centres/centre-fantome-zephyr/">Centre Fantôme Zéphyr</a>', "Zéphyrin"],
        "/centres/chu-brest/": [MARKER],  # the RCP it organises, Brest taking part
        "/rcp/": [MARKER],
        "/rcp/calendrier/?semaine=2026-W49": [MARKER],
        "/rcp/agenda.ics": [MARKER],
        "/rcp/centre/chu-brest.ics": [MARKER],
        "/rcp/axe/pancreas.ics": [MARKER],
        f"/rcp/{world['brest_rcp'].slug}/": [MARKER],  # a participant
        f"/rcp/{world['ghost_rcp'].slug}/": [MARKER, "02 61 91 00 97"],
        f"/rcp/{world['ghost_rcp'].slug}.ics": [MARKER],
        "/centres/centre-fantome-zephyr/": [MARKER, PHONE],
        f"/essais/{world['trial'].pk}/": [MARKER, SITE_PHONE],
        "/essais/": [MARKER],
        "/api/axes/": ["centre-fantome-zephyr"],
        "/api/personnes/": ["Zéphyrin"],
        "/api/rcp/": [MARKER, "centre-fantome-zephyr"],
        f"/api/essais/{world['trial'].pk}/": ["centre-fantome-zephyr", SITE_PHONE],
        "/donnees-ouvertes/rcp.csv": [MARKER, FINESS],
        "/donnees-ouvertes/centres.csv": [MARKER, PHONE],
        "/recherche/?q=Zéphyr": [MARKER],
        "/sitemap-centres.xml": ["centre-fantome-zephyr"],
        "/sitemap-rcp.xml": [world["ghost_rcp"].slug],
    }
    missing = {}
    for url, texts in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        if url.startswith("/recherche/"):
            text = without_query_echo(text)
        absent = [t for t in texts if t not in text]
        if absent:
            missing[url] = absent
    assert missing == {}


def test_once_published_the_trial_site_counts_as_a_network_site(client, world):
    ghost = world["ghost"]
    ghost.is_published = True
    ghost.save()
    page = re.sub(r"\s+", " ", body(client.get(f"/essais/{world['trial'].pk}/")))
    assert "Un site à Quimper" not in page
    assert 'href="/centres/centre-fantome-zephyr/"' in page
    rows = json.loads(body(client.get("/donnees-ouvertes/essais.json")))
    assert rows[0]["sites_finess"] == FINESS  # Brest has no FINESS typed


def test_an_unpublished_participant_brings_no_rcp_into_its_region(client, axes):
    """An RCP organised in Lyon with an unpublished participant in Brittany is not
    an RCP of Brittany; once the participant is published, it is."""
    ghost = factories.make_centre(name="Centre Fantôme Zéphyr", is_published=False)
    lyon = factories.make_centre(
        name="Hôpital Édouard-Herriot",
        city="Lyon",
        postcode="69003",
        department_code="69",
        latitude=45.744,
        longitude=4.882,
    )
    make_rcp(name="RCP lyonnaise", organiser=lyon, participants=[ghost], axes=[axes["pancreas"]])
    brittany = ghost.department.region.slug

    def names():
        response = client.get(f"/rcp/?region={brittany}")
        assert response.status_code == 200
        return [rcp.name for rcp, _next, _km in response.context["items"]]

    assert names() == []
    ghost.is_published = True
    ghost.save()
    assert names() == ["RCP lyonnaise"]


def test_the_directory_refuses_an_unpublished_centre_as_a_filter(client, world):
    response = client.get("/rcp/?centre=centre-fantome-zephyr")
    assert response.status_code == 400
    text = body(response)
    assert "Sélectionnez un choix valide" in text
    assert leaks(text) == []
