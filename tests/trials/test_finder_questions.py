"""The finder built on the patient's three questions (which cancer, how old, where),
"N lieux, dont M à moins de X km", a trial's sites nearest first from the searched
place, big cities without an extra step, the printable selection and the Atom
feed of a search."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_centre

from .factories import make_site, make_trial
from .test_finder import titles

URL = reverse("trials:finder")
FEED = reverse("trials:feed")
PRINT = reverse("trials:print")
ATOM = "{http://www.w3.org/2005/Atom}"
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.fixture
def lyon_trials(axes, centres):
    """A pancreas trial in Lyon, Saint-Étienne and Brest (18-75 years), an
    oesophagus one in Brest (any age), a pancreas one for 18-65 in Lyon."""
    with time_machine.travel(NOW, tick=False):
        three = make_trial(
            plain_title="Essai du pancréas en trois lieux",
            min_age=18,
            max_age=75,
            axes=[axes["pancreas"]],
            sites=[centres["lyon"], centres["saint_etienne"], centres["brest"]],
        )
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        any_age = make_trial(
            plain_title="Essai de l’œsophage à Brest",
            axes=[axes["oesophage"]],
            sites=[centres["brest"]],
        )
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        younger = make_trial(
            plain_title="Essai du pancréas jusqu’à 65 ans",
            min_age=18,
            max_age=65,
            axes=[axes["pancreas"]],
            sites=[centres["lyon"]],
        )
    return {"three": three, "any_age": any_age, "younger": younger}


# --- The three questions first ------------------------------------------------------


class Fields(HTMLParser):
    """For each <div class="field">: the ids of its inputs and the `for` of its labels."""

    def __init__(self):
        super().__init__()
        self.groups, self.depth, self.current = [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            if self.current is not None:
                self.depth += 1
            elif "field" in (attrs.get("class") or "").split():
                self.current, self.depth = {"labels": [], "inputs": [], "help": []}, 0
        if self.current is None:
            return
        if tag == "label":
            self.current["labels"].append(attrs.get("for"))
        if tag in ("input", "select"):
            self.current["inputs"].append(attrs.get("id"))
        if attrs.get("id", "").endswith(("_helptext", "_error")):
            self.current["help"].append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "div" and self.current is not None:
            if self.depth == 0:
                self.groups.append(self.current)
                self.current = None
            else:
                self.depth -= 1


def test_the_three_questions_come_first_each_field_with_its_label_and_help(client, db):
    body = client.get(URL).content.decode()
    first = body.index("Trois questions pour commencer")
    others = body.index("Autres critères")
    for name in ("id_axe", "id_age", "id_pres_de"):
        assert first < body.index(f'id="{name}"') < others
    for name in ("id_statut", "id_q", "id_phase", "id_situation"):
        assert body.index(f'id="{name}"') > others
    parser = Fields()
    parser.feed(body)
    fields = [g for g in parser.groups if g["inputs"]]
    assert len(fields) == 10
    for group in fields:
        assert group["labels"] == group["inputs"]  # the label sits with its input
    age = next(g for g in fields if g["inputs"] == ["id_age"])
    assert age["help"] == ["id_age_helptext"]


def test_an_error_stays_with_its_field_and_is_linked_from_the_summary(client, db):
    body = client.get(URL, {"age": "deux cents"}).content.decode()
    parser = Fields()
    parser.feed(body)
    age = next(g for g in parser.groups if g["inputs"] == ["id_age"])
    assert age["labels"] == ["id_age"]
    assert '<a href="#id_age">Quel âge a la personne malade' in body


@pytest.mark.parametrize("age, shown", [("50", 3), ("70", 2), ("80", 1), ("10", 1)])
def test_age_filters_on_the_registrys_limits(client, lyon_trials, age, shown):
    found = titles(client.get(URL, {"age": age}))
    assert len(found) == shown
    assert "Essai de l’œsophage à Brest" in found  # no limit: every age


@pytest.mark.parametrize(
    "age", ["abc", "-1", "121", "99999999999999999999", "\x00", "1e3", "12.5", " ", "１２x"]
)
def test_a_bad_age_is_a_clear_400(client, lyon_trials, age):
    response = client.get(URL, {"age": age})
    assert response.status_code == 400
    assert "Recherche à corriger" in response.content.decode()


def test_full_width_digits_are_an_age(client, lyon_trials):
    response = client.get(URL, {"age": "５０"})
    assert response.status_code == 200
    assert titles(response) == titles(client.get(URL, {"age": "50"}))  # read as 50
    assert len(titles(response)) == 3


def test_cards_say_how_many_sites_and_how_many_within_the_radius(client, lyon_trials):
    body = client.get(URL, {"pres_de": "69003", "rayon": "100", "axe": "pancreas"}).content.decode()
    assert "3 lieux, dont 2 à moins de 100&nbsp;km" in body
    assert "1 lieu, dont 1 à moins de 100&nbsp;km" in body
    assert "lieux, dont" not in client.get(URL, {"axe": "pancreas"}).content.decode()


@pytest.mark.parametrize("city", ["Lyon", "lyon", "LYON", "Lyon 3e"])
def test_a_big_city_resolves_without_an_extra_step(client, lyon_trials, city):
    response = client.get(URL, {"pres_de": city, "axe": "pancreas"})
    body = response.content.decode()
    assert "Précisez la commune" not in body
    assert len(response.context["items"]) == 2
    assert re.search(r"essais qui recrutent à moins de 100&nbsp;km de Lyon", body)


def test_the_three_questions_together(client, lyon_trials):
    found = titles(client.get(URL, {"axe": "pancreas", "age": "70", "pres_de": "Lyon"}))
    assert found == ["Essai du pancréas en trois lieux"]


# --- A trial page, its sites nearest first from the searched place -------------------


def _site_names(body: str) -> list[str]:
    return re.findall(r'<a href="/centres/[^"]+/"><strong>([^<]+)</strong></a>', body)


def test_a_card_links_to_the_trial_with_the_searched_place(client, lyon_trials):
    body = client.get(URL, {"pres_de": "42000", "axe": "pancreas"}).content.decode()
    assert f'href="{lyon_trials["three"].get_absolute_url()}?pres_de=42000"' in body


def test_a_trial_page_lists_its_sites_nearest_first_from_the_place(client, lyon_trials):
    url = lyon_trials["three"].get_absolute_url()
    assert _site_names(client.get(url).content.decode()) == [
        "CHU de Brest",
        "Hôpital Édouard-Herriot",
        "CHU de Saint-Étienne",
    ]  # by city without a place
    body = client.get(url, {"pres_de": "42000"}).content.decode()  # Saint-Étienne
    assert _site_names(body) == ["CHU de Saint-Étienne", "Hôpital Édouard-Herriot", "CHU de Brest"]
    assert "Du plus proche au plus éloigné de 42000" in body
    assert re.search(r"Saint-Priest-en-Jarez \(42\), à \d&nbsp;km", body)
    body = client.get(url, {"pres_de": "29200"}).content.decode()
    assert _site_names(body)[0] == "CHU de Brest"


def test_a_bad_or_shared_place_on_a_trial_page_is_said_clearly(client, lyon_trials):
    url = lyon_trials["three"].get_absolute_url()
    bad = client.get(url, {"pres_de": "Nulle-Part-sur-Mer"})
    assert bad.status_code == 400
    assert "Nous ne trouvons pas" in bad.content.decode()
    assert client.get(url, {"pres_de": "a\x00b"}).status_code == 400
    shared = client.get(url, {"pres_de": "Saint-Denis"}).content.decode()
    assert "Plusieurs communes portent ce nom" in shared


# --- The printable selection: « à montrer à mon médecin » ---------------------------


def test_the_selection_prints_each_trial_with_its_nearest_sites(client, lyon_trials):
    three, younger = lyon_trials["three"], lyon_trials["younger"]
    response = client.get(PRINT, {"essai": [younger.pk, three.pk], "pres_de": "42000"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<article class="print-trial"') == 2
    assert body.index("Essai du pancréas jusqu’à 65 ans") < body.index("trois lieux")
    assert "Questions à poser à mon médecin" in body
    part = body[body.index("trois lieux") :]
    assert part.index("CHU de Saint-Étienne") < part.index("Hôpital Édouard-Herriot")
    assert "De 18 à 75\u00a0ans" in part


def test_a_trial_page_links_to_its_printable_version(client, lyon_trials):
    trial = lyon_trials["three"]
    body = client.get(trial.get_absolute_url(), {"pres_de": "Lyon"}).content.decode()
    assert f'href="{PRINT}?essai={trial.pk}&amp;pres_de=Lyon"' in body
    listing = client.get(URL).content.decode()
    assert f'<form method="get" action="{PRINT}"' in listing
    assert f'name="essai" value="{trial.pk}"' in listing


def test_unpublished_or_unknown_trials_are_not_printed(client, lyon_trials):
    hidden = make_trial(plain_title="Essai caché", is_published=False)
    body = client.get(PRINT, {"essai": [hidden.pk, 999999]}).content.decode()
    assert "Essai caché" not in body
    assert "Les essais choisis ne sont plus publiés" in body
    assert "Aucun essai n’est choisi" in client.get(PRINT).content.decode()


@pytest.mark.parametrize(
    "values, message",
    [
        (["abc"], "Un des essais choisis n’existe pas"),
        (["-1"], "Un des essais choisis n’existe pas"),
        (["99999999999999999999999"], "Un des essais choisis n’existe pas"),
        (["1\x00"], "Un des essais choisis n’existe pas"),
        ([str(n) for n in range(1, 30)], "Choisissez au plus 20 essais"),
    ],
)
def test_a_bad_selection_is_a_clear_400(client, lyon_trials, values, message):
    response = client.get(PRINT, {"essai": values})
    assert response.status_code == 400
    assert message in response.content.decode()


# --- The Atom feed of a search -------------------------------------------------------


def parse(response):
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entries(root):
    return [
        {
            "title": e.findtext(f"{ATOM}title"),
            "id": e.findtext(f"{ATOM}id"),
            "updated": e.findtext(f"{ATOM}updated"),
            "link": e.find(f"{ATOM}link").get("href"),
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_a_search_has_an_atom_feed_of_its_trials_latest_first(client, lyon_trials):
    listing = client.get(URL, {"axe": "pancreas", "age": "70"}).content.decode()
    assert f'href="{FEED}?axe=pancreas&amp;age=70"' in listing
    assert 'rel="alternate" type="application/atom+xml"' in listing
    root = parse(client.get(FEED, {"axe": "pancreas"}))
    assert root.findtext(f"{ATOM}title").endswith("nouveaux essais et changements de statut")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    found = entries(root)
    assert [e["title"] for e in found] == [
        "Essai du pancréas jusqu’à 65 ans — Recrute",
        "Essai du pancréas en trois lieux — Recrute",
    ]
    assert found[0]["link"] == f"http://testserver{lyon_trials['younger'].get_absolute_url()}"
    assert found[0]["updated"].startswith("2026-11-20T")


def test_the_feed_follows_the_place_and_age_of_the_search(client, lyon_trials):
    near_brest = entries(parse(client.get(FEED, {"pres_de": "29200", "rayon": "25"})))
    assert {e["title"] for e in near_brest} == {
        "Essai du pancréas en trois lieux — Recrute",
        "Essai de l’œsophage à Brest — Recrute",
    }
    assert len(entries(parse(client.get(FEED, {"age": "80"})))) == 1


def test_a_status_change_is_a_new_entry(client, lyon_trials):
    before = entries(parse(client.get(FEED, {"axe": "oesophage"})))[0]
    trial = lyon_trials["any_age"]
    with time_machine.travel(NOW + timedelta(days=10), tick=False):
        trial.status = "ACTIVE_NOT_RECRUITING"
        trial.status_changed_at = timezone.now()  # as the import and the admin do
        trial.save()
    after = entries(parse(client.get(FEED, {"axe": "oesophage", "statut": "tous"})))[0]
    assert after["title"] == "Essai de l’œsophage à Brest — En cours, ne recrute plus"
    assert after["id"] != before["id"]
    assert after["updated"].startswith("2026-11-28T")


@pytest.mark.parametrize(
    "params, message",
    [
        ({"age": "old"}, "Recherche à corriger"),
        ({"pres_de": "Saint-Denis"}, "précisez le code postal"),
        ({"axe": "\x00"}, "Recherche à corriger"),
    ],
)
def test_a_bad_feed_query_is_a_400_in_words(client, lyon_trials, params, message):
    response = client.get(FEED, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unpublished_trials_are_in_no_feed(client, lyon_trials):
    make_trial(plain_title="Essai caché", is_published=False)
    assert all("caché" not in e["title"] for e in entries(parse(client.get(FEED))))


def test_new_sites_far_away_do_not_change_the_cards_of_a_place(client, lyon_trials, axes):
    far = make_centre(
        name="CHU de Nice",
        slug="chu-nice",
        postcode="06000",
        city="Nice",
        department_code="06",
        latitude=43.70,
        longitude=7.26,
    )
    make_site(lyon_trials["three"], far)
    body = client.get(URL, {"pres_de": "69003", "axe": "pancreas"}).content.decode()
    assert "4 lieux, dont 2 à moins de 100&nbsp;km" in body
