"""The calendar's month is an overview: each meeting's time, RCP and statuses,
and each day opens its week, which says where and until when to send files."""

import html
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from rcp.models import RcpException
from tests import factories

from .factories import make_exception, make_rcp

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
# Tuesday 8 December 2026, 15:00: the Tuesday meeting of 14:00 has started, and
# the files for Thursday's meeting were due today at noon.
NOW = datetime(2026, 12, 8, 15, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def plain(text: str) -> str:
    """The page as its reader sees the spaces: one space for any run of them."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def month_grid(page: str) -> str:
    return page[page.index('<ol class="month-grid') : page.index("</ol>", page.index("month-grid"))]


def day_cell(grid: str, day: date) -> str:
    """One day of the grid: its heading and its meetings."""
    start = grid.index(f'id="jour-{day:%Y%m%d}"')
    end = grid.find('<li class="calendar-day', start)
    return grid[start : end if end > 0 else len(grid)]


def line_of(cell: str, name: str) -> str:
    """The meeting line (<li>…</li>) of that RCP in a day."""
    match = re.search(r"<li[^>]*>((?:(?!</li>).)*>" + re.escape(name) + r"</a>.*?)</li>", cell)
    assert match, f"{name} not in {cell}"
    return match.group(1)


@pytest.fixture
def network():
    centre = factories.make_centre(name="Centre hospitalier de Brest", short_name="CHU Brest")
    tuesday = make_rcp(name="RCP digestive du mardi", organiser=centre)
    make_exception(tuesday, date(2026, 12, 22), note="Congrès")
    make_exception(
        tuesday,
        date(2026, 12, 29),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 12, 30),
        new_start_time=time(9, 0),
        note="Salle indisponible",
    )
    make_rcp(name="RCP du jeudi", rrule="FREQ=WEEKLY;BYDAY=TH", first_date=date(2026, 1, 8))
    make_rcp(name="RCP du vendredi", rrule="FREQ=WEEKLY;BYDAY=FR", first_date=date(2026, 1, 9))
    make_rcp(
        name="RCP de La Réunion",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        first_date=date(2026, 1, 5),
        timezone="Indian/Reunion",
        organiser=factories.make_centre(
            postcode="97400",
            city="Saint-Denis",
            department_code="974",
            latitude=-20.89,
            longitude=55.45,
        ),
    )
    return tuesday


def test_a_month_line_gives_time_rcp_and_statuses_without_details(client, network):
    page = client.get(reverse("rcp:calendar") + "?mois=2026-12").content.decode()
    grid = plain(month_grid(page))
    name = "RCP digestive du mardi"
    # Past: started before now (1 and 8 December at 14:00).
    for day in (date(2026, 12, 1), date(2026, 12, 8)):
        line = line_of(day_cell(grid, day), name)
        assert line.startswith("<b>14 h 00</b> ")
        assert f'<a href="{network.get_absolute_url()}">{name}</a>' in line
        assert '<strong class="status status-past">séance passée</strong>' in line
    # Ahead and open to files: no status.
    assert "status" not in line_of(day_cell(grid, date(2026, 12, 15)), name)
    # Cancelled, moved (shown on its new day at its new time), public holiday.
    assert "annulée" in line_of(day_cell(grid, date(2026, 12, 22)), name)
    moved = line_of(day_cell(grid, date(2026, 12, 30)), name)
    assert moved.startswith("<b>9 h 00</b>") and "déplacée" in moved
    assert name not in day_cell(grid, date(2026, 12, 29))
    christmas = line_of(day_cell(grid, date(2026, 12, 25)), "RCP du vendredi")
    assert '<strong class="status status-holiday">jour férié</strong>' in christmas
    # Thursday's files were due today at noon.
    thursday = line_of(day_cell(grid, date(2026, 12, 10)), "RCP du jeudi")
    assert '<strong class="status status-closed">dossiers clos</strong>' in thursday
    # Overseas: the local time, and Paris time (3 hours behind La Réunion in December).
    reunion = line_of(day_cell(grid, date(2026, 12, 14)), "RCP de La Réunion")
    assert reunion.startswith("<b>14 h 00 (heure de La Réunion ; 11 h 00 à Paris)</b>")
    # No details line: neither organiser, nor mode, nor deadline, nor the reason.
    assert 'class="hint"' not in grid
    for detail in (
        "CHU Brest",
        "Visioconférence",
        "dossiers avant",
        "depuis le",
        "Congrès",
        "Noël",
    ):
        assert detail not in grid, detail
    assert "Décembre 2026 : 16 séances" in plain(page)  # 4 + 5 + 3 + 4 held


def test_each_day_of_the_month_opens_its_week_with_the_filters_kept(client, network):
    page = client.get(reverse("rcp:calendar") + "?mois=2026-12&mode=video").content.decode()
    assert (
        "Le centre organisateur, le mode de réunion et la date limite d’envoi des dossiers de "
        "chaque séance sont donnés dans la vue par semaine : cliquez sur un jour pour afficher "
        "sa semaine."
    ) in plain(page)
    grid = month_grid(page)
    heading = re.search(r'<h3 id="jour-20261215"><a href="([^"]+)"[^>]*>(.*?)</a></h3>', grid)
    assert heading, day_cell(grid, date(2026, 12, 15))
    assert "Mardi 15 décembre 2026" in heading.group(2)
    link = html.unescape(heading.group(1))
    assert link == "?mode=video&semaine=2026-W51"
    # Every day of the month has its link, 31 December in the week of 28 December.
    assert len(re.findall(r"<h3 id=\"jour-\d+\"><a href=", grid)) == 31
    assert '<h3 id="jour-20261231"><a href="?mode=video&amp;semaine=2026-W53"' in grid
    # The week gives what the month leaves out.
    week = plain(client.get(reverse("rcp:calendar") + link).content.decode())
    assert "Semaine du lundi 14 décembre au dimanche 20 décembre 2026" in week
    assert (
        "CHU Brest · Visioconférence · dossiers avant le vendredi 11 décembre 2026 à 12 h 00"
        in week
    )


def test_a_day_whose_week_the_form_refuses_has_no_link(client):
    # 1 and 2 January 2000 belong to the ISO week 1999-W52.
    grid = month_grid(client.get(reverse("rcp:calendar") + "?mois=2000-01").content.decode())
    assert '<h3 id="jour-20000101"><span class="day-full">' in grid
    assert '<h3 id="jour-20000102"><span class="day-full">' in grid
    assert '<h3 id="jour-20000103"><a href="?semaine=2000-W01"' in grid
    assert "1999" not in grid


def test_a_month_line_escapes_the_rcp_name(client):
    make_rcp(name="RCP <i>Tête & cou</i>")
    grid = month_grid(client.get(reverse("rcp:calendar") + "?mois=2026-12").content.decode())
    assert "RCP &lt;i&gt;Tête &amp; cou&lt;/i&gt;</a>" in grid
    assert "<i>" not in grid


@pytest.mark.parametrize("query", ["?mois=2026-12", "?semaine=2026-W51", ""])
def test_calendar_queries_do_not_grow_with_rcps_and_exceptions(
    client, query, django_assert_max_num_queries
):
    make_rcp()
    with django_assert_max_num_queries(7) as few:
        before = client.get(reverse("rcp:calendar") + query).content.decode()
    for n in range(15):
        rcp = make_rcp(is_demo=n % 2 == 0, rrule="FREQ=WEEKLY;BYDAY=TU,TH")
        make_exception(rcp, date(2026, 12, 15))
    with django_assert_max_num_queries(len(few.captured_queries)):
        after = client.get(reverse("rcp:calendar") + query).content.decode()
    # The 15 new RCPs are on the page: the same queries served 16 times the RCPs.
    assert after.count('href="/rcp/rcp-test-') >= before.count('href="/rcp/rcp-test-') + 15
