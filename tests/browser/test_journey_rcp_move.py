"""Journey 7: a centre's coordinator moves an RCP meeting in the admin, and the
public RCP page and calendar show the move (Chromium, live server, demo data).

The clock is not frozen (the browser and the server run on the real one): the
meeting moved and its new date are computed from the RCP's schedule when the
test starts, so the journey holds on any day.
"""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from centres.admin_scoping import CENTRE_GROUP
from centres.models import Centre
from core.dates import format_time
from rcp.forms import week_param
from rcp.frenchdates import format_datetime, format_local
from rcp.models import Rcp, RcpException
from rcp.schedule import next_meeting, next_session, occurrences

from .fixtures import save_screenshot

pytestmark = pytest.mark.browser

USERNAME = "coordination-nantes"
PASSWORD = "une phrase de passe assez longue"
# CHU de Nantes organises one demo RCP, weekly on Wednesdays at 12 h 30.
CENTRE = "chu-nantes"
RCP = "hepatobiliaire-pays-de-la-loire"
# Organised by another centre (CHU de Brest): out of the coordinator's reach.
OTHER_RCP = "digestif-bretagne-occidentale"
NEW_TIME = time(16, 45)
NOTE = "Salle indisponible ce jour-là"


def plain(text: str) -> str:
    """Text as read, whatever the no-break spaces of French typography."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_journey_7_centre_coordinator_moves_a_meeting_and_the_public_calendar_shows_it(
    live_site, open_context
):
    centre = Centre.objects.get(slug=CENTRE)
    rcp = Rcp.objects.for_listing().get(slug=RCP)
    other = Rcp.objects.get(slug=OTHER_RCP)
    assert rcp.organiser_id == centre.pk and other.organiser_id != centre.pk
    own_rcps = sorted(Rcp.objects.filter(organiser=centre).values_list("name", flat=True))
    assert rcp.name in own_rcps and Rcp.objects.exclude(organiser=centre).exists()
    # The meeting to move (the next one held), to the next day at another hour:
    # a day the rule does not meet, so that nothing else is listed there.
    before = next_meeting(rcp)
    assert before is not None and not before.is_moved
    old_day = before.original_date
    new_day = old_day + timedelta(days=1)
    assert not occurrences(rcp, new_day, new_day)
    new_start = datetime.combine(new_day, NEW_TIME, tzinfo=rcp.zone)

    staff = get_user_model().objects.create_user(USERNAME, "nantes@example.org", PASSWORD)
    staff.is_staff = True
    staff.save()
    staff.groups.add(Group.objects.get(name=CENTRE_GROUP))
    centre.editors.add(staff)

    page = open_context(base_url=live_site.url).new_page()
    page.goto("/admin/")
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()

    # The index leads to their centre, and to no other.
    page.locator("#centres-centre").get_by_role("link", name="Centres", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody tr th a")).to_have_text(centre.name)
    page.go_back()
    # The RCP list holds this centre's RCPs, and only them.
    page.locator("#rcp-rcp").get_by_role("link", name="RCP", exact=True).click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(len(own_rcps))
    listed = sorted(page.locator("#result_list tbody tr th a").all_inner_texts())
    assert listed == own_rcps
    assert other.name not in page.locator("#content").inner_text()
    # Another centre's RCP is not found, even by typing its address.
    refused = page.goto(f"/admin/rcp/rcp/{other.pk}/change/")
    assert refused.status == 404
    page.go_back()

    # Their RCP: a new « séance annulée ou déplacée » row, filled as a user would.
    page.locator("#result_list").get_by_role("link", name=rcp.name, exact=True).click()
    expect(page.locator("#id_name")).to_have_value(rcp.name)
    group = page.locator("#exceptions-group")
    existing = group.locator("tr.form-row.has_original").count()
    group.locator(".add-row a").click()
    row = group.locator("tr.form-row.dynamic-exceptions:not(.empty-form)").last
    expect(row).to_be_visible()
    row.locator("input[name$='-original_date']").fill(old_day.strftime("%d/%m/%Y"))
    row.locator("select[name$='-kind']").select_option(label="Déplacée")
    row.locator("input[name$='-new_date']").fill(new_day.strftime("%d/%m/%Y"))
    row.locator("input[name$='-new_start_time']").fill(NEW_TIME.strftime("%H:%M"))
    row.locator("input[name$='-note']").fill(NOTE)
    page.locator("[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text(f"« {rcp} » a été modifié")
    expect(page.locator(".errornote")).to_have_count(0)

    # What is stored: one move of that meeting, to that day and hour.
    moved = RcpException.objects.get(rcp=rcp, original_date=old_day)
    assert (moved.kind, moved.new_date, moved.new_start_time, moved.note) == (
        RcpException.Kind.MOVED,
        new_day,
        NEW_TIME,
        NOTE,
    )
    assert RcpException.objects.filter(rcp=rcp).count() == existing + 1
    # As the schedule now computes it: the next meeting is the moved one.
    after = next_session(Rcp.objects.for_listing().get(slug=RCP))
    assert after.meeting.is_moved and after.meeting.start == new_start

    # A visitor, without the coordinator's session (anonymous pages are cached).
    public = open_context(base_url=live_site.url).new_page()
    public.goto(rcp.get_absolute_url())
    expect(public.get_by_role("heading", level=1)).to_have_text(rcp.name)
    box = public.locator(".contact-box")
    expect(box.locator(".status-moved")).to_have_text("séance déplacée")
    assert plain(format_datetime(new_start)) in plain(box.inner_text())
    # The dates table: the meeting at its new date, the former date struck out.
    new_row = public.locator("table.rcp-dates tbody tr").filter(has_text=NOTE)
    expect(new_row).to_have_count(1)
    cells = [plain(c) for c in new_row.locator("td").all_inner_texts()]
    assert cells[0] == plain(format_local(new_start)), cells
    assert "Séance déplacée" in cells[-1] and NOTE in cells[-1], cells
    struck = new_row.locator("del")
    expect(struck).to_have_count(1)
    assert plain(struck.inner_text()) == plain(format_local(before.start))
    first_cells = public.locator("table.rcp-dates tbody td:first-child").all_inner_texts()
    assert plain(format_local(before.start)) not in [plain(c) for c in first_cells]
    save_screenshot(public, "journey-7-moved-meeting-rcp-page")

    # The calendar of that week: the RCP on its new day, marked moved, and no
    # longer on the former day.
    public.goto(f"/rcp/calendrier/?semaine={week_param(new_day)}")
    expect(public.get_by_role("heading", level=1)).to_have_text("Calendrier des RCP")
    new_section = public.locator(f"section.calendar-day:has(#jour-{new_day:%Y%m%d})")
    expect(new_section).to_have_count(1)
    line = new_section.locator("li").filter(
        has=public.get_by_role("link", name=rcp.name, exact=True)
    )
    expect(line).to_have_count(1)
    expect(line.locator(".status-moved")).to_have_text("déplacée")
    assert plain(line.locator(".calendar-time").inner_text()) == plain(format_time(new_start))
    old_section = public.locator(f"section.calendar-day:has(#jour-{old_day:%Y%m%d})")
    expect(old_section.get_by_role("link", name=rcp.name, exact=True)).to_have_count(0)
    save_screenshot(public, "journey-7-moved-meeting-calendar")
