"""The search box: one query over the whole site, grouped by kind, ranked,
the same interface on SQLite and PostgreSQL (run the suite on both)."""

from datetime import date

import pytest
from django.db import connection

from content.models import Document, NewsItem
from search.engine import KINDS, search
from search.models import MissedSearch
from tests import factories
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_trial

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(axes):
    brest = factories.make_centre(name="CHU de Brest — Hôpital Morvan", short_name="CHU de Brest")
    factories.make_centre(name="Centre hospitalier de Quimper", city="Quimper")
    factories.make_centre(name="Hôpital caché de Brest", is_published=False)
    metges = factories.make_person(
        first_name="Jean-Philippe", last_name="Metgès", specialty="Oncologie digestive"
    )
    factories.make_role(metges, centre=brest)
    make_rcp(name="RCP pancréas Brest", organiser=brest, axes=[axes["pancreas"]])
    make_trial(plain_title="Chimiothérapie avant chirurgie du pancréas", acronym="PANACHE")
    make_trial(plain_title="Essai pancréas non publié", is_published=False)
    NewsItem.objects.create(
        title="Le pancréas à l’honneur",
        slug="pancreas",
        summary="Résumé",
        body="Texte",
        published_on=date(2020, 1, 1),
        is_published=True,
    )
    return brest


def kinds(groups):
    return {g.kind: [h.title for h in g.hits] for g in groups if g.total}


def test_one_query_finds_every_kind_accents_and_case_ignored(site):
    found = kinds(search("PANCREAS"))
    assert found["rcp"] == ["RCP pancréas Brest"]
    assert found["essais"] == ["Chimiothérapie avant chirurgie du pancréas"]
    assert found["actualites"] == ["Le pancréas à l’honneur"]
    assert "Essai pancréas non publié" not in str(found)


def test_people_are_found_by_name_without_accents(site):
    groups = {g.kind: g for g in search("metges")}
    hit = groups["personnes"].hits[0]
    assert hit.title == "Dr Jean-Philippe Metgès"
    assert hit.url == site.get_absolute_url()
    assert "Oncologie digestive" in hit.detail


def test_unpublished_content_is_never_found(site):
    found = kinds(search("caché"))
    assert "centres" not in found


def test_results_are_ranked_by_relevance(site, axes):
    factories.make_centre(name="Clinique du Ponant", city="Brest")  # Brest only in its city
    centres = {g.kind: g for g in search("brest")}["centres"]
    assert centres.hits[0].title == "CHU de Brest — Hôpital Morvan"
    assert centres.total == 2


def test_postgresql_stems_and_forgives_misspellings_sqlite_takes_words_as_typed(site):
    """Each database's path, stated: PostgreSQL's French full-text search and
    trigrams; SQLite's simpler one (accents and case aside, words as typed)."""
    if connection.vendor == "postgresql":
        assert "essais" in kinds(search("chirurgical"))  # stem of « chirurgie »
        assert kinds(search("pancras")).get("rcp") == ["RCP pancréas Brest"]
        assert kinds(search("metge")).get("personnes")
    else:
        assert "rcp" not in kinds(search("pancras"))
        assert kinds(search("metge")).get("personnes")  # part of a word is found
    assert kinds(search("PANCREAS")).get("rcp") == ["RCP pancréas Brest"]


def test_the_results_page_groups_by_kind_and_works_without_javascript(client, site):
    html = client.get("/recherche/?q=pancr%C3%A9as").content.decode()
    assert "RCP (1)" in html and "Essais cliniques (1)" in html and "Actualités (1)" in html
    assert 'href="/rcp/rcp-' in html
    header = client.get("/centres/").content.decode()
    assert 'action="/recherche/"' in header and 'role="search"' in header


def test_a_search_that_finds_nothing_is_counted_by_its_words_only(client, site):
    for _ in range(2):
        response = client.get("/recherche/?q=Z%C3%A9bulon+introuvable")
        assert "Aucun résultat" in response.content.decode()
        assert "no-cache" in response["Cache-Control"]
    missed = MissedSearch.objects.get()
    assert (missed.words, missed.count) == ("zebulon introuvable", 2)
    assert [f.name for f in MissedSearch._meta.fields] == [
        "id",
        "words",
        "count",
        "first_seen",
        "last_seen",
    ]
    client.get("/recherche/?q=brest")
    assert MissedSearch.objects.count() == 1


def test_staff_of_the_network_see_missed_searches(client, django_user_model):
    from django.contrib.auth.models import Group

    MissedSearch.record("zebulon")
    manager = django_user_model.objects.create_user("pilotage", is_staff=True)
    manager.groups.add(Group.objects.get(name="Pilotage du réseau"))
    client.force_login(manager)
    assert "zebulon" in client.get("/admin/search/missedsearch/").content.decode()
    coordinator = django_user_model.objects.create_user("coord", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordination de centre"))
    client.force_login(coordinator)
    assert client.get("/admin/search/missedsearch/").status_code == 403


@pytest.mark.parametrize("query", ["q=%00", "q=" + "x" * 101, "q=a&type=inconnu", "q=%00brest"])
def test_bad_input_is_a_400_on_every_database(client, query):
    assert client.get(f"/recherche/?{query}").status_code == 400


def test_more_results_of_one_kind(client, axes):
    for n in range(7):
        Document.objects.create(
            title=f"Fiche pancréas {n}",
            slug=f"fiche-{n}",
            category="rcp_form",
            is_published=True,
            file="documents/x.pdf",
        )
    html = client.get("/recherche/?q=fiche").content.decode()
    assert "Documents (7)" in html and "type=documents" in html
    html = client.get("/recherche/?q=fiche&type=documents").content.decode()
    assert html.count("Fiche pancréas") == 7


def _more_of_every_kind(axes, n):
    """A centre, a person working there, an RCP, a trial, a news item and a
    document, each about the pancreas (in a word the people search finds)."""
    centre = factories.make_centre(name=f"Centre du pancréas {n}", city="Brest")
    person = factories.make_person(last_name=f"Pancréas{n}", specialty="Chirurgie du pancréas")
    factories.make_role(person, centre=centre)
    make_rcp(name=f"RCP pancréas {n}", organiser=centre, axes=[axes["pancreas"]])
    make_trial(plain_title=f"Chirurgie du pancréas {n}")
    NewsItem.objects.create(
        title=f"Le pancréas, saison {n}",
        slug=f"pancreas-{n}",
        summary="Résumé",
        body="Texte",
        published_on=date(2020, 1, 1),
        is_published=True,
    )
    Document.objects.create(
        title=f"Fiche pancréas {n}",
        slug=f"fiche-pancreas-{n}",
        category="rcp_form",
        is_published=True,
        file="documents/x.pdf",
    )


@pytest.mark.parametrize("words", ["pancreas", "pancraes", "brest"])
def test_the_search_page_costs_the_same_queries_whatever_the_data(
    client, site, axes, words, django_assert_max_num_queries
):
    """Each kind's hits, their count and their details come in a few queries
    per kind, whether the words match as typed or stemmed, or only misspelt
    (PostgreSQL's trigram search: keys, then the best): never a query per hit
    (a person's centre comes with one prefetch) nor per row matched."""
    _more_of_every_kind(axes, 0)
    url = f"/recherche/?q={words}"
    with django_assert_max_num_queries(3 * len(KINDS) + 4) as few:
        client.get(url)
    for n in range(1, 8):
        _more_of_every_kind(axes, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    if words == "brest":
        assert "Centres (9)" in html  # the CHU and the eight centres in Brest
    elif words == "pancraes" and connection.vendor != "postgresql":
        assert "Aucun résultat" in html  # SQLite takes words as typed
    else:
        for kind in ("Centres", "Personnes", "RCP", "Essais cliniques", "Actualités", "Documents"):
            assert f"{kind} (" in html
        assert "Personnes (8)" in html and "Documents (8)" in html
        assert html.count("Centre du pancréas") >= 5  # the best five centres, and their people's
