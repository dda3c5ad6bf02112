"""« Signaler une erreur » on centre, RCP and trial pages: a `mailto:` link to the
owner of what the page shows, read back as a mail client reads it."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.contrib.auth.models import User
from hypothesis import given
from hypothesis import strategies as st

from core.mailto import REPORT_REASONS, mailto
from tests.factories import make_centre
from tests.gates.typography import mistakes, visible_text
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_trial

NETWORK = "reseau@pan-together.example.org"
STAFF = "coordinatrice.privee@chu.example.org"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []  # (href, text)
        self._href = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.links.append([self._href, ""])

    def handle_data(self, data):
        if self._href is not None:
            self.links[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None


def report_link(response) -> dict:
    """The page's « Signaler une erreur » link, decoded: address, subject, body."""
    parser = _Links()
    parser.feed(response.content.decode())
    hrefs = [href for href, text in parser.links if text.startswith("Signaler une erreur")]
    assert len(hrefs) == 1, hrefs
    href = hrefs[0]
    # RFC 6068: spaces as %20 (a "+" would stay a "+" in mail clients), CRLF as %0D%0A.
    assert " " not in href and "+" not in href and "\n" not in href
    parts = urlsplit(href)
    assert parts.scheme == "mailto"
    fields = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return {"to": unquote(parts.path), "subject": fields["subject"], "body": fields["body"]}


@pytest.fixture(autouse=True)
def _network_email(settings):
    settings.NETWORK_EMAIL = NETWORK


@pytest.fixture
def staff(db):
    return User.objects.create_user("coord", email=STAFF, is_staff=True)


def test_centre_page_reports_to_the_centre(client, staff):
    centre = make_centre(name="CHU de Brest — Hôpital Morvan", email="oncologie@chu.example.org")
    centre.editors.add(staff)

    response = client.get(centre.get_absolute_url())

    link = report_link(response)
    assert link["to"] == "oncologie@chu.example.org"
    assert link["subject"] == "Signaler une erreur\u00a0: CHU de Brest — Hôpital Morvan"
    assert f"http://testserver{centre.get_absolute_url()}\r\n" in link["body"]
    assert STAFF not in response.content.decode()


def test_body_lists_the_reasons_to_tick_one_per_line(client, db):
    centre = make_centre(email="oncologie@chu.example.org")

    body = report_link(client.get(centre.get_absolute_url()))["body"]

    lines = body.split("\r\n")
    assert [line for line in lines if line.startswith("[ ] ")] == [
        "[ ] numéro erroné",
        "[ ] personne partie",
        "[ ] séance annulée",
        "[ ] essai fermé",
        "[ ] autre",
    ]
    assert "\n" not in body.replace("\r\n", "")


def test_centre_without_email_reports_to_the_network(client, staff):
    centre = make_centre(email="")
    centre.editors.add(staff)

    response = client.get(centre.get_absolute_url())

    assert report_link(response)["to"] == NETWORK
    html = response.content.decode()
    paragraph = html[html.index('<p class="report-error">') :]
    paragraph = paragraph[: paragraph.index("</p>") + 4]
    assert visible_text(paragraph).strip("¶\n") == (
        "Signaler une erreur sur cette page (votre messagerie s’ouvre avec un message prêt "
        f"à compléter, adressé à {NETWORK}\u00a0; rien n’est enregistré sur ce site)"
    )
    assert mistakes(paragraph) == []
    assert STAFF not in response.content.decode()


def test_rcp_page_reports_to_its_secretariat(client, db):
    rcp = make_rcp(
        name="RCP régionale d’oncologie digestive",
        secretariat_email="secretariat.rcp@chu-brest.mssante.fr",
        organiser=make_centre(email="oncologie@chu.example.org"),
    )

    link = report_link(client.get(rcp.get_absolute_url()))

    assert link["to"] == "secretariat.rcp@chu-brest.mssante.fr"
    assert link["subject"] == "Signaler une erreur\u00a0: RCP régionale d’oncologie digestive"
    assert f"http://testserver{rcp.get_absolute_url()}\r\n" in link["body"]


def test_rcp_without_secretariat_reports_to_its_organiser(client, staff):
    organiser = make_centre(email="oncologie@chu.example.org")
    organiser.editors.add(staff)
    rcp = make_rcp(secretariat_email="", organiser=organiser)

    response = client.get(rcp.get_absolute_url())

    assert report_link(response)["to"] == "oncologie@chu.example.org"
    assert STAFF not in response.content.decode()


def test_rcp_without_any_address_reports_to_the_network(client, db):
    rcp = make_rcp(secretariat_email="", organiser=make_centre(email=""))

    assert report_link(client.get(rcp.get_absolute_url()))["to"] == NETWORK


def test_trial_page_reports_to_the_network(client, staff):
    centre = make_centre(email="oncologie@chu.example.org")
    centre.editors.add(staff)
    trial = make_trial(
        plain_title="Chimiothérapie avant l’opération du pancréas & après ?",
        contact_email="promoteur@example.org",
        sites=[centre],
    )

    response = client.get(trial.get_absolute_url(), {"pres_de": "29200"})

    link = report_link(response)
    assert link["to"] == NETWORK
    assert link["subject"] == (
        "Signaler une erreur\u00a0: Chimiothérapie avant l’opération du pancréas & après ?"
    )
    # The page's address, not the query that made it.
    assert f"http://testserver{trial.get_absolute_url()}\r\n" in link["body"]
    assert STAFF not in response.content.decode()


def test_the_site_stores_nothing_for_a_report(client, db, django_assert_max_num_queries):
    """The reader's mail client sends the report: the page only reads."""
    centre = make_centre(email="")
    with django_assert_max_num_queries(50) as queries:
        client.get(centre.get_absolute_url())
    assert all(q["sql"].lstrip().startswith("SELECT") for q in queries.captured_queries)


text = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=60)


@given(subject=text, body=st.lists(text, max_size=5))
def test_mailto_fields_read_back_as_written(subject, body):
    url = mailto("a&b?c@example.org", subject=subject, body="\n".join(body))

    parts = urlsplit(url)
    fields = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    assert unquote(parts.path) == "a&b?c@example.org"
    assert " " not in url and "+" not in url.split("?", 1)[-1].replace("%2B", "")
    assert fields.get("subject", "") == re.sub(r"[\r\n]+", " ", subject)
    assert fields.get("body", "") == "\r\n".join(body)


def test_reasons_are_the_issue_s_five():
    assert REPORT_REASONS == (
        "numéro erroné",
        "personne partie",
        "séance annulée",
        "essai fermé",
        "autre",
    )
