"""The finder /essais/: filters, text search, distance, bad input, query counts."""

import re

import pytest
from django.urls import reverse

from centres.models import Region

from .factories import make_site, make_trial

URL = reverse("trials:finder")


def titles(response) -> list[str]:
    return [card.title for card in response.context["items"]]


@pytest.fixture
def trials(axes, centres):
    """Pancreas trials in Lyon, Saint-Étienne and Brest; an oesophagus one; closed ones."""
    lyon = make_trial(
        plain_title="Chimiothérapie avant l’opération du pancréas",
        acronym="PANEO",
        conditions="Pancreatic Adenocarcinoma",
        interventions="mFOLFIRINOX",
        setting="neoadjuvant",
        phase="PHASE3",
        eu_ct_number="2099-501234-12-00",
        axes=[axes["pancreas"]],
        sites=[centres["lyon"]],
    )
    stetienne = make_trial(
        plain_title="Radiothérapie du pancréas localement avancé",
        setting="locally_advanced",
        phase="PHASE2",
        axes=[axes["pancreas"]],
        sites=[centres["saint_etienne"]],
    )
    brest = make_trial(
        plain_title="Essai du pancréas à Brest",
        axes=[axes["pancreas"]],
        sites=[centres["brest"]],
    )
    oeso = make_trial(
        plain_title="Immunothérapie de l’œsophage",
        conditions="Esophageal Cancer",
        axes=[axes["oesophage"]],
        sites=[centres["lyon"], centres["brest"]],
    )
    soon = make_trial(
        plain_title="Vaccin après l’opération du pancréas",
        status="NOT_YET_RECRUITING",
        axes=[axes["pancreas"]],
        sites=[centres["lyon"]],
    )
    closed = make_trial(
        plain_title="Essai terminé du pancréas",
        status="COMPLETED",
        axes=[axes["pancreas"]],
        sites=[centres["lyon"]],
    )
    hidden = make_trial(plain_title="Essai non publié", is_published=False, sites=[centres["lyon"]])
    return locals()


def test_recruiting_trials_by_default_never_closed_or_unpublished(client, trials):
    response = client.get(URL)
    assert response.status_code == 200
    assert set(titles(response)) == {
        "Chimiothérapie avant l’opération du pancréas",
        "Radiothérapie du pancréas localement avancé",
        "Essai du pancréas à Brest",
        "Immunothérapie de l’œsophage",
    }
    assert "4 essais qui recrutent" in response.content.decode()


def test_not_yet_recruiting_and_all_statuses(client, trials):
    assert titles(client.get(URL, {"statut": "bientot"})) == [
        "Vaccin après l’opération du pancréas"
    ]
    everything = titles(client.get(URL, {"statut": "tous"}))
    assert len(everything) == 6
    assert "Essai non publié" not in everything


def test_filters_by_axis_setting_and_phase(client, trials, axes):
    assert len(titles(client.get(URL, {"axe": "oesophage"}))) == 1
    assert titles(client.get(URL, {"axe": "pancreas", "situation": "locally_advanced"})) == [
        "Radiothérapie du pancréas localement avancé"
    ]
    assert titles(client.get(URL, {"phase": "PHASE2"})) == [
        "Radiothérapie du pancréas localement avancé"
    ]


def test_filters_by_region_and_centre(client, trials, centres):
    bretagne = Region.objects.get(code="53")
    assert set(titles(client.get(URL, {"region": bretagne.slug}))) == {
        "Essai du pancréas à Brest",
        "Immunothérapie de l’œsophage",
    }
    assert set(titles(client.get(URL, {"centre": "heh-lyon", "statut": "tous"}))) == {
        "Chimiothérapie avant l’opération du pancréas",
        "Immunothérapie de l’œsophage",
        "Vaccin après l’opération du pancréas",
        "Essai terminé du pancréas",
    }


def test_centre_filter_ignores_a_site_that_does_not_recruit_yet(client, trials, centres):
    make_site(trials["brest"], centres["lyon"], status="NOT_YET_RECRUITING")
    assert "Essai du pancréas à Brest" not in titles(client.get(URL, {"centre": "heh-lyon"}))


def close_at_lyon_in_the_registry(trial, lyon):
    """The registry closed the trial at Lyon; staff's own site there stays open."""
    make_site(
        trial,
        lyon,
        source="registry",
        registry_key="hopital edouard herriot|lyon",
        facility_name="Hôpital Édouard-Herriot",
        facility_city="Lyon",
        status="COMPLETED",
    )


def test_a_registry_site_closed_at_a_centre_overrides_staffs_open_one(client, trials, centres):
    close_at_lyon_in_the_registry(trials["oeso"], centres["lyon"])
    title = "Immunothérapie de l’œsophage"
    assert title not in titles(client.get(URL, {"centre": "heh-lyon"}))
    assert title in titles(client.get(URL, {"centre": "chu-brest"}))
    assert title in titles(client.get(URL, {"centre": "heh-lyon", "statut": "tous"}))
    # Near Lyon, only Brest is open: 750 km.
    assert title not in titles(client.get(URL, {"pres_de": "69003", "rayon": "100"}))
    # The card lists Brest only.
    response = client.get(URL, {"axe": "oesophage"})
    card, *_ = response.context["items"]
    assert [site.name for site in card.sites] == ["CHU de Brest"]


def test_staffs_site_governs_a_centre_the_registry_does_not_list(client, trials, centres):
    close_at_lyon_in_the_registry(trials["oeso"], centres["lyon"])
    # The registry's closed site at Lyon says nothing about Brest.
    bretagne = Region.objects.get(code="53").slug
    assert "Immunothérapie de l’œsophage" in titles(client.get(URL, {"region": bretagne}))


@pytest.mark.parametrize(
    "query",
    ["oesophage", "ŒSOPHAGE", "Oesophage", "immunotherapie", "folfirinox", "paneo", "esophageal"],
)
def test_text_search_ignores_accents_and_case(client, trials, query):
    assert len(titles(client.get(URL, {"q": query, "statut": "tous"}))) == 1


def test_text_search_finds_identifiers(client, trials):
    nct = trials["lyon"].nct_number
    for query in (nct, nct.lower(), "2099-501234-12-00"):
        assert titles(client.get(URL, {"q": query})) == [
            "Chimiothérapie avant l’opération du pancréas"
        ]


def test_every_word_must_match(client, trials):
    assert titles(client.get(URL, {"q": "pancréas Brest"})) == ["Essai du pancréas à Brest"]
    assert titles(client.get(URL, {"q": "pancréas oesophage"})) == []


def test_patient_in_lyon_finds_pancreas_trials_within_100_km_nearest_first(client, trials):
    response = client.get(URL, {"pres_de": "69003", "axe": "pancreas"})
    items = response.context["items"]
    assert [card.title for card in items] == [
        "Chimiothérapie avant l’opération du pancréas",
        "Radiothérapie du pancréas localement avancé",
    ]
    assert items[0].distance < 5
    assert 40 < items[1].distance < 60
    body = response.content.decode()
    assert "2 essais qui recrutent à moins de 100&nbsp;km de 69003 Lyon" in body
    assert re.search(r"à 5[012]&nbsp;km", body)
    # Each card: how many network sites, how many within the radius.
    assert "1 lieu, dont 1 à moins de 100&nbsp;km" in body


def test_the_radius_widens_the_search(client, trials):
    near = titles(client.get(URL, {"pres_de": "69003", "axe": "pancreas", "rayon": "25"}))
    far = titles(client.get(URL, {"pres_de": "69003", "axe": "pancreas", "rayon": "500"}))
    assert near == ["Chimiothérapie avant l’opération du pancréas"]
    assert len(far) == 2  # Brest is about 750 km away


def test_near_a_place_counts_only_sites_open_for_the_chosen_status(client, trials, centres):
    # Brest's trial also lists Lyon, not yet open there: not "recruiting near Lyon".
    make_site(trials["brest"], centres["lyon"], status="NOT_YET_RECRUITING")
    assert "Essai du pancréas à Brest" not in titles(
        client.get(URL, {"pres_de": "69003", "rayon": "25"})
    )
    assert "Essai du pancréas à Brest" in titles(
        client.get(URL, {"pres_de": "69003", "rayon": "25", "statut": "tous"})
    )


@pytest.mark.parametrize(
    "status, wording",
    [
        ("recrute", "jusqu’au centre du réseau le plus proche où l’essai est ouvert."),
        ("bientot", "jusqu’au centre du réseau le plus proche où l’essai est ouvert ou va ouvrir."),
        (
            "tous",
            "jusqu’au plus proche des centres du réseau participant à l’essai, "
            "qu’il y soit ouvert ou non.",
        ),
    ],
)
def test_the_distance_wording_says_what_was_measured(client, trials, status, wording):
    body = client.get(URL, {"pres_de": "69003", "statut": status}).content.decode()
    assert "Du plus proche au plus éloigné\u00a0: distance à vol d’oiseau " + wording in body
    if status == "tous":
        assert "où l’essai est ouvert" not in body


def test_cards_show_the_nearest_open_sites(client, trials, centres):
    response = client.get(URL, {"pres_de": "29200", "axe": "oesophage", "rayon": "500"})
    card, *_ = response.context["items"]
    assert [site.name for site in card.sites] == ["CHU de Brest", "Hôpital Édouard-Herriot"]
    assert card.more == 0
    assert re.search(r"CHU de Brest</a> \(\d&nbsp;km\), ", response.content.decode())


def test_ambiguous_commune_asks_which_one(client, trials):
    response = client.get(URL, {"pres_de": "Saint-Denis"})
    assert response.status_code == 200
    assert "Précisez la commune" in response.content.decode()


def test_unknown_place_gets_a_clear_message(client, trials):
    response = client.get(URL, {"pres_de": "99999"})
    assert response.status_code == 400
    assert "Ce code postal n’existe pas\u00a0: «\u00a099999\u00a0»" in response.content.decode()


def test_demo_trials_are_explained(client, trials):
    make_trial(plain_title="Essai fictif", is_demo=True)
    body = client.get(URL).content.decode()
    assert "Donnée de démonstration" in body
    assert "NCT099…, n’existent pas sur ClinicalTrials.gov" in body


def test_english_registry_title_is_marked_as_english(client, db):
    make_trial(plain_title="", brief_title="A Registry Title Only")
    assert 'lang="en">A Registry Title Only</a>' in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00"},
        {"q": "x" * 10_000},
        {"pres_de": "\x00"},
        {"pres_de": "y" * 10_000},
        {"axe": "\x00"},
        {"axe": "inconnu"},
        {"axe": "x" * 10_000},
        {"region": "'; DROP TABLE trials_trial; --"},
        {"centre": "\x00"},
        {"statut": "recruiting"},
        {"statut": ["tous", "bientot"]},
        {"phase": "PHASE9"},
        {"situation": "\x00"},
        {"rayon": "7"},
        {"rayon": "-100"},
        {"rayon": "1e309"},
        {"rayon": "abc"},
    ],
)
def test_hostile_values_get_a_400_page_never_a_500(client, trials, params):
    response = client.get(URL, params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "Recherche à corriger" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1e9", "\x00", "2" * 400])
def test_odd_page_numbers_show_a_real_page(client, trials, page):
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert titles(response)  # a page of trials, the first or the last, never an empty one


def test_unknown_parameters_are_ignored(client, trials):
    assert client.get(URL, {"utm_source": "x", "year": "99999", "month": "13"}).status_code == 200


def test_sql_and_html_metacharacters_are_searched_literally_and_escaped(client, trials):
    response = client.get(URL, {"q": "<script>alert(1)</script> % _ '"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def _populate(axes, centres, n):
    for i in range(n):
        trial = make_trial(
            plain_title=f"Essai en série {i}",
            axes=[axes["pancreas"], axes["oesophage"]],
            sites=[centres["lyon"], centres["saint_etienne"], centres["brest"]],
        )
        make_site(trial, None, facility_name=f"Clinique {i}", facility_city="Lyon")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"statut": "tous", "axe": "pancreas", "phase": "PHASE3", "q": "série"},
        {"region": "auvergne-rhone-alpes", "centre": "heh-lyon"},
        {"pres_de": "69003", "rayon": "500", "axe": "pancreas"},
    ],
)
def test_finder_query_count_does_not_grow_with_trials(
    client, axes, centres, params, django_assert_max_num_queries
):
    """Axes, sites and centres of the cards are prefetched: no query per trial."""
    client.get(URL, params)  # warm the place lookup
    _populate(axes, centres, 3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL, params).status_code == 200
    _populate(axes, centres, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, params)
    assert response.context["page"].paginator.count >= 20


def test_the_form_shows_the_defaults_it_applies(client, trials):
    for params in ({}, {"axe": "pancreas"}, {"rayon": "", "statut": ""}):
        body = client.get(URL, params).content.decode()
        assert '<option value="100" selected>100\xa0km</option>' in body
        assert '<option value="recrute" selected>Recrute actuellement</option>' in body
