"""The directory /centres/: filters, text search, nearest centres, bad input."""

import pytest
from django.urls import reverse

from tests.factories import department, make_centre, make_service

URL = reverse("centres:directory")


@pytest.fixture
def network(axes):
    """A small network around Brest, Quimper, Lyon and Saint-Étienne, plus La Réunion."""
    surgery = make_service(slug="chirurgie-test", name="Chirurgie hépato-bilio-pancréatique test")
    return {
        "brest": make_centre(
            name="CHU de Brest — Hôpital Morvan",
            slug="chu-brest",
            axes=[axes["oesophage"], axes["pancreas"]],
            kind="pilot",
        ),
        "quimper": make_centre(
            name="Centre hospitalier de Cornouaille",
            slug="ch-quimper",
            city="Quimper",
            postcode="29000",
            latitude=47.996,
            longitude=-4.102,
            axes=[axes["pancreas"]],
            services=[surgery],
        ),
        "lyon": make_centre(
            name="Hôpital Édouard-Herriot",
            slug="heh-lyon",
            city="Lyon",
            postcode="69003",
            department_code="69",
            latitude=45.744,
            longitude=4.882,
            axes=[axes["pancreas"]],
        ),
        "saint_etienne": make_centre(
            name="CHU de Saint-Étienne — Hôpital Nord",
            slug="chu-saint-etienne",
            city="Saint-Étienne",
            postcode="42100",
            department_code="42",
            latitude=45.47,
            longitude=4.39,
            axes=[axes["foie-voies-biliaires"]],
        ),
        "reunion": make_centre(
            name="CHU de La Réunion — Félix-Guyon",
            slug="chu-reunion",
            city="Saint-Denis",
            postcode="97400",
            department_code="974",
            latitude=-20.89,
            longitude=55.45,
            axes=[axes["foie-voies-biliaires"]],
            phone="02 62 90 50 50",
        ),
        "hidden": make_centre(
            name="Centre non publié de Brest",
            slug="hidden",
            is_published=False,
            axes=[axes["pancreas"]],
        ),
    }


def names(response):
    return [centre.name for centre, _km in response.context["items"]]


def test_directory_lists_published_centres_only(client, network):
    response = client.get(URL)
    assert response.status_code == 200
    assert "5 centres" in response.content.decode()
    assert "Centre non publié" not in response.content.decode()


def test_search_ignores_accents_and_case(client, network):
    response = client.get(URL, {"q": "saint etienne"})
    assert names(response) == ["CHU de Saint-Étienne — Hôpital Nord"]
    response = client.get(URL, {"q": "HERRIOT"})
    assert names(response) == ["Hôpital Édouard-Herriot"]


def test_search_by_axis_name_without_accents(client, network):
    response = client.get(URL, {"q": "pancreas"})
    assert set(names(response)) == {
        "CHU de Brest — Hôpital Morvan",
        "Centre hospitalier de Cornouaille",
        "Hôpital Édouard-Herriot",
    }


def test_search_by_department_name_and_service(client, network):
    assert set(names(client.get(URL, {"q": "finistere"}))) == {
        "CHU de Brest — Hôpital Morvan",
        "Centre hospitalier de Cornouaille",
    }
    assert names(client.get(URL, {"q": "chirurgie hepato"})) == [
        "Centre hospitalier de Cornouaille"
    ]


def test_every_word_must_match(client, network):
    assert names(client.get(URL, {"q": "chu brest"})) == ["CHU de Brest — Hôpital Morvan"]
    assert names(client.get(URL, {"q": "chu quimper"})) == []


def test_filters_by_axis_region_department_kind_and_service(client, network):
    assert set(names(client.get(URL, {"axe": "foie-voies-biliaires"}))) == {
        "CHU de Saint-Étienne — Hôpital Nord",
        "CHU de La Réunion — Félix-Guyon",
    }
    assert set(names(client.get(URL, {"region": "bretagne"}))) == {
        "CHU de Brest — Hôpital Morvan",
        "Centre hospitalier de Cornouaille",
    }
    assert names(client.get(URL, {"departement": "974"})) == ["CHU de La Réunion — Félix-Guyon"]
    assert names(client.get(URL, {"type": "pilot"})) == ["CHU de Brest — Hôpital Morvan"]
    assert names(client.get(URL, {"service": "chirurgie-test"})) == [
        "Centre hospitalier de Cornouaille"
    ]


def test_filters_combine_and_stay_in_the_pagination_links(client, axes, db):
    for i in range(25):
        make_centre(name=f"Centre {i:02d}", slug=f"c-{i}", axes=[axes["pancreas"]])
    response = client.get(URL, {"axe": "pancreas", "region": "bretagne"})
    html = response.content.decode()
    assert "25 centres" in html
    assert "?axe=pancreas&amp;region=bretagne&amp;page=2" in html
    page2 = client.get(URL, {"axe": "pancreas", "region": "bretagne", "page": "2"})
    assert len(page2.context["items"]) == 5


def test_patient_in_brest_gets_brest_first_then_quimper(client, network):
    response = client.get(URL, {"pres_de": "29200", "axe": "pancreas"})
    assert response.status_code == 200
    items = response.context["items"]
    assert [c.name for c, _ in items] == [
        "CHU de Brest — Hôpital Morvan",
        "Centre hospitalier de Cornouaille",
        "Hôpital Édouard-Herriot",
    ]
    assert items[0][1] < 5 and 50 < items[1][1] < 60
    html = response.content.decode()
    assert "Centres les plus proches de 29200 Brest" in html
    assert "<strong>à 2&nbsp;km</strong>" in html  # Brest
    assert "<strong>à 54&nbsp;km</strong>" in html  # Quimper, as the crow flies


def test_nearest_from_a_commune_name_and_from_the_browser_position(client, network):
    response = client.get(URL, {"pres_de": "saint etienne"})
    assert names(response)[0] == "CHU de Saint-Étienne — Hôpital Nord"
    response = client.get(URL, {"lat": "-21.0", "lon": "55.5"})
    assert names(response)[0] == "CHU de La Réunion — Félix-Guyon"
    assert "votre position" in response.content.decode()


def test_overseas_postcode_finds_the_overseas_centre_first(client, network):
    response = client.get(URL, {"pres_de": "97410"})
    assert names(response)[0] == "CHU de La Réunion — Félix-Guyon"


def test_unknown_postcode_gets_a_clear_message_and_no_results(client, network):
    response = client.get(URL, {"pres_de": "00000"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce code postal n’existe pas\u00a0: «\u00a000000\u00a0»" in html
    assert "Aucun résultat n’est affiché" in html
    assert response.context["items"] == []


def test_ambiguous_commune_asks_which_one(client, network):
    response = client.get(URL, {"pres_de": "Saint-Denis"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Précisez la commune" in html
    assert "Saint-Denis (97400)" in html


def test_geolocation_is_allowed_on_this_page_only(client, network):
    assert "geolocation=(self)" in client.get(URL)["Permissions-Policy"]
    assert "geolocation=()" in client.get(reverse("home"))["Permissions-Policy"]


@pytest.mark.parametrize(
    "params",
    [
        {"axe": "inconnu"},
        {"axe": "pan\x00creas"},
        {"region": "x" * 10_000},
        {"departement": "<script>"},
        {"type": "martian"},
        {"lat": "nan", "lon": "1"},
        {"lat": "48"},
        {"lat": "1e400", "lon": "2"},
        {"q": "a\x00b"},
        {"q": "x" * 10_000},
        {"pres_de": "\x00"},
    ],
)
def test_hostile_values_get_a_400_page_with_the_error_never_a_500(client, network, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "Recherche à corriger" in response.content.decode()


@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999999999999999999", "1e400", ""])
def test_odd_page_numbers_show_a_real_page(client, network, page):
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert response.context["items"]


def test_sql_and_html_metacharacters_are_searched_literally_and_escaped(client, network):
    response = client.get(URL, {"q": "'; DROP TABLE centres_centre; -- <b>x</b>"})
    assert response.status_code == 200
    assert "<b>x</b>" not in response.content.decode()


@pytest.mark.parametrize("params", [{}, {"axe": "pancreas", "q": "chu"}, {"pres_de": "29200"}])
def test_directory_query_count_does_not_grow_with_centres(
    client, axes, django_assert_max_num_queries, params
):
    for i in range(3):
        make_centre(name=f"CHU {i}", slug=f"a-{i}", axes=[axes["pancreas"]])
    with django_assert_max_num_queries(14) as small:
        client.get(URL, params)
    for i in range(40):
        make_centre(name=f"CHU bis {i}", slug=f"b-{i}", axes=[axes["pancreas"], axes["oesophage"]])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL, params)


def test_department_helper_finds_reference_data(db):
    assert department("2A").region.name == "Corse"
