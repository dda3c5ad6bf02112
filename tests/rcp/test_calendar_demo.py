"""The calendar marks demonstration RCPs: once at the top of a page that shows
nothing else, line by line (the cards' badge) on a page that mixes them with real ones."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from .factories import make_rcp

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Monday
BADGE = '<span class="badge badge-demo">Donnée de démonstration</span>'
NOTICE = (
    "<strong>Données de démonstration\u00a0:</strong> les séances affichées sont fictives. "
    "Ces RCP ont été créées pour présenter le portail\u00a0; elles ne se réunissent pas."
)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def calendar_items(query: str, client) -> tuple[str, dict[str, list[str]]]:
    """The page's text and, per RCP name, the calendar lines that name it."""
    page = re.sub(r"[ \t\r\n]+", " ", client.get(reverse("rcp:calendar") + query).content.decode())
    items: dict[str, list[str]] = {}
    for item in re.findall(r'<ul class="calendar-list">(.*?)</ul>', page):
        for line in re.findall(r"<li[^>]*>(.*?)</li>", item):
            name = re.search(r'<a href="[^"]+">([^<]+)</a>', line).group(1)
            items.setdefault(name, []).append(line)
    return page, items


def test_demo_sessions_carry_the_badge_and_real_ones_do_not(client):
    make_rcp(name="RCP fictive", is_demo=True)
    make_rcp(name="RCP réelle")
    page, items = calendar_items("?semaine=2026-W49", client)
    assert len(items["RCP fictive"]) == 1 and len(items["RCP réelle"]) == 1
    assert BADGE in items["RCP fictive"][0]
    assert BADGE not in items["RCP réelle"][0]
    # Real sessions are shown too: the page does not call everything fictitious.
    assert "Données de démonstration" not in page


def test_a_month_of_demo_sessions_only_says_so_at_the_top(client):
    make_rcp(name="RCP fictive", is_demo=True)
    page, items = calendar_items("?mois=2026-12", client)
    assert "Décembre 2026\u00a0: 5 séances" in page
    assert len(items["RCP fictive"]) == 5
    # Said once, above the period: no line repeats it.
    assert BADGE not in page
    notice = page.index(NOTICE)
    assert page.index("<h1>Calendrier des RCP</h1>") < notice < page.index('id="periode-titre"')


def test_a_month_mixing_demo_and_real_sessions_marks_the_demo_lines(client):
    make_rcp(name="RCP fictive", is_demo=True)
    make_rcp(name="RCP réelle")
    page, items = calendar_items("?mois=2026-12", client)
    assert len(items["RCP fictive"]) == 5 and len(items["RCP réelle"]) == 5
    assert all(BADGE in line for line in items["RCP fictive"])
    assert not any(BADGE in line for line in items["RCP réelle"])
    assert "Données de démonstration" not in page


def test_a_week_of_demo_sessions_only_says_so_at_the_top(client):
    make_rcp(name="RCP fictive", is_demo=True)
    page, items = calendar_items("?semaine=2026-W49", client)
    assert len(items["RCP fictive"]) == 1
    assert NOTICE in page and BADGE not in page


def test_the_coming_week_of_demo_sessions_only_says_so(client):
    make_rcp(name="RCP fictive", is_demo=True)
    page, items = calendar_items("", client)
    assert len(items["RCP fictive"]) == 1
    assert NOTICE in page and BADGE not in page


def test_an_empty_calendar_calls_nothing_fictitious(client):
    make_rcp(name="RCP fictive", is_demo=True, is_published=False)
    page, items = calendar_items("?mois=2026-12", client)
    assert items == {}
    assert "Données de démonstration" not in page
    assert BADGE not in page
