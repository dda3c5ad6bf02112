"""Journey 6: a GP finds the next pancreas recourse RCP, reads its deadline and
downloads its .ics (Chromium, live server, demo data, nothing off the site)."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from rcp.frenchdates import format_datetime
from rcp.models import Rcp
from rcp.schedule import next_session
from tests.rcp.parsers import vobject_instances

from .fixtures import save_screenshot

pytestmark = pytest.mark.browser

FRENCH_DATETIME = re.compile(
    r"^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (1er|\d{1,2}) "
    r"(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) "
    r"\d{4} à \d{1,2}\u00a0h\u00a0\d{2}$"  # no-break spaces: an hour never breaks
)


def test_journey_6_gp_finds_the_next_pancreas_recourse_rcp_its_deadline_and_its_ics(page):
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="RCP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver une RCP")

    page.get_by_role("combobox", name="Cancer").select_option(label="Pancréas")
    page.get_by_label("Type de RCP").select_option(label="RCP nationale de recours")
    page.get_by_role("button", name="Rechercher").click()

    cards = page.locator("ol.cards > li")
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card).to_contain_text("RCP nationale de recours pancréas")
    expect(card).to_contain_text("Prochaine séance")
    expect(card).to_contain_text("Dossiers à envoyer avant le")
    card.get_by_role("link", name="RCP nationale de recours pancréas").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("RCP nationale de recours pancréas")
    box = page.locator(".contact-box")
    # The next session a file sent now still reaches, and its deadline.
    meeting = box.locator(".reachable-start").inner_text().split(" séance déplacée")[0]
    deadline = box.locator(".reachable-deadline").inner_text()
    assert FRENCH_DATETIME.match(meeting), meeting
    assert FRENCH_DATETIME.match(deadline), deadline
    # As the schedule computes it now: a Tuesday, files due two days before,
    # moved back to the working day before (Friday, or earlier over a holiday).
    expected = next_session(Rcp.objects.for_listing().get(slug="recours-pancreas"))
    assert meeting == format_datetime(expected.reachable.start), meeting
    assert deadline == format_datetime(expected.reachable.deadline), deadline
    assert expected.reachable.deadline > datetime.now(tz=ZoneInfo("Europe/Paris"))
    expect(
        page.get_by_role(
            "heading", name="Ajouter cette RCP à votre agenda : Outlook / Google / Apple"
        )
    ).to_be_visible()
    webcal = page.get_by_role("link", name="S’abonner à l’agenda « Cette RCP »").get_attribute(
        "href"
    )
    assert webcal.startswith("webcal://") and webcal.endswith("/rcp/recours-pancreas.ics")

    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le fichier .ics « Cette RCP »").click()
    download = info.value
    assert download.suggested_filename == "rcp-recours-pancreas.ics"
    # One recurring event: read it as a calendar client would (vobject, see
    # tests/rcp/parsers.py), trusting the feed's own time zone.
    body = Path(download.path()).read_bytes()
    paris = ZoneInfo("Europe/Paris")
    now = datetime.now(tz=UTC)
    coming = sorted(vobject_instances(body, now, now + timedelta(days=90)), key=lambda x: x.start)
    first = next(x for x in coming if x.start == expected.reachable.start)
    assert first.summary.startswith("RCP nationale de recours pancréas")
    start = first.start.astimezone(paris)
    assert f"à {start.hour}\u00a0h\u00a0{start.minute:02d}" in meeting
    assert f" {start.year}" in meeting
    weekday, at = deadline.split(" ")[0], deadline.split(" à ")[1]
    assert (
        f"Dossiers avant le {deadline}." in first.description
        or f"Dossiers avant le {weekday} précédent à {at}." in first.description
    ), (first.description, deadline)
    save_screenshot(page, "journey-6-gp-pancreas-recourse-rcp")
