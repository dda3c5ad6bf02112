"""The next session a doctor can still reach, and public holidays by territory.

Every expectation is computed at a frozen instant stated in the test, on each
side of a deadline, across a change of Paris time and in an overseas zone.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rcp.models import RcpException
from rcp.schedule import next_meeting, next_session, occurrences, upcoming
from tests import factories

from .factories import make_exception, make_rcp

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
pytestmark = pytest.mark.django_db


def reunion_centre():
    return factories.make_centre(
        postcode="97400",
        city="Saint-Denis",
        department_code="974",
        latitude=-20.89,
        longitude=55.45,
        phone="02 62 90 50 50",
    )


def moselle_centre():
    return factories.make_centre(
        postcode="57000", city="Metz", department_code="57", latitude=49.12, longitude=6.18
    )


# --- The next reachable session ---------------------------------------------


@pytest.mark.parametrize(
    "now, meeting, reachable",
    [
        # Tuesday 1 December 2026: files due 2 days before, Sunday, so Friday noon.
        (datetime(2026, 11, 27, 11, 59, tzinfo=PARIS), date(2026, 12, 1), date(2026, 12, 1)),
        (datetime(2026, 11, 27, 12, 0, tzinfo=PARIS), date(2026, 12, 1), date(2026, 12, 8)),
        (datetime(2026, 11, 30, 22, 40, tzinfo=PARIS), date(2026, 12, 1), date(2026, 12, 8)),
        # Once the meeting has started, it is no longer the next one.
        (datetime(2026, 12, 1, 14, 0, tzinfo=PARIS), date(2026, 12, 8), date(2026, 12, 8)),
    ],
)
def test_a_meeting_whose_deadline_has_passed_is_closed_with_the_next_one_reachable(
    now, meeting, reachable
):
    rcp = make_rcp()
    found = next_session(rcp, now=now)
    assert found.meeting.start.date() == meeting
    assert found.reachable.start.date() == reachable
    assert found.closed == (meeting != reachable)
    assert found.reachable.deadline > now


def test_deadlines_across_the_change_to_summer_time_are_read_in_the_rcp_s_zone():
    # Tuesday 30 March 2027, after the change (28 March): its deadline is Friday
    # 26 March at 12:00 Paris winter time, 11:00 UTC.
    rcp = make_rcp()
    before = next_session(rcp, now=datetime(2027, 3, 26, 10, 59, tzinfo=UTC))
    after = next_session(rcp, now=datetime(2027, 3, 26, 11, 0, tzinfo=UTC))
    assert not before.closed and before.meeting.start == datetime(2027, 3, 30, 14, tzinfo=PARIS)
    assert before.meeting.start.utcoffset().total_seconds() == 7200
    assert after.closed and after.reachable.start.date() == date(2027, 4, 6)
    # The meeting of 6 April: Sunday 4 April moved to Friday 2 April at noon,
    # summer time (10:00 UTC).
    assert after.reachable.deadline.astimezone(UTC) == datetime(2027, 4, 2, 10, 0, tzinfo=UTC)


def test_an_overseas_deadline_is_in_the_rcp_s_own_time():
    # La Réunion is 3 hours ahead of Paris in winter: 12:00 there is 09:00 in Paris.
    rcp = make_rcp(organiser=reunion_centre(), timezone="Indian/Reunion")
    open_ = next_session(rcp, now=datetime(2026, 11, 27, 8, 59, tzinfo=PARIS))
    closed = next_session(rcp, now=datetime(2026, 11, 27, 9, 0, tzinfo=PARIS))
    assert not open_.closed
    assert open_.meeting.deadline == datetime(2026, 11, 27, 12, 0, tzinfo=REUNION)
    assert closed.closed and closed.reachable.start == datetime(2026, 12, 8, 14, tzinfo=REUNION)


def test_a_cancelled_meeting_is_never_the_next_one():
    rcp = make_rcp()
    make_exception(rcp, date(2026, 12, 1))
    found = next_session(rcp, now=datetime(2026, 11, 23, 10, 0, tzinfo=PARIS))
    assert found.meeting.start.date() == date(2026, 11, 24)
    assert found.closed and found.reachable.start.date() == date(2026, 12, 8)


def test_a_moved_meeting_reachable_by_its_own_deadline():
    rcp = make_rcp()
    make_exception(rcp, date(2026, 12, 1), kind=RcpException.Kind.MOVED, new_date=date(2026, 12, 3))
    # Files for Thursday 3 December are due on Tuesday 1 December at noon.
    found = next_session(rcp, now=datetime(2026, 11, 30, 9, 0, tzinfo=PARIS))
    assert found.meeting.is_moved and not found.closed
    assert found.meeting.deadline == datetime(2026, 12, 1, 12, 0, tzinfo=PARIS)


def test_a_rule_that_has_ended_has_no_next_session(time_machine):
    time_machine.move_to(datetime(2026, 11, 2, 9, 0, tzinfo=PARIS), tick=False)
    rcp = make_rcp(rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20261201", first_date=date(2026, 11, 3))
    late = datetime(2026, 11, 30, 22, 40, tzinfo=PARIS)
    found = next_session(rcp, now=late)
    assert found.meeting.start.date() == date(2026, 12, 1)
    assert found.closed and found.reachable is None
    assert next_session(rcp, now=datetime(2026, 12, 2, tzinfo=PARIS)) is None


# --- Public holidays ----------------------------------------------------------


def test_a_monday_rcp_does_not_meet_on_easter_monday_or_all_saints_day():
    rcp = make_rcp(rrule="FREQ=WEEKLY;BYDAY=MO", first_date=date(2026, 1, 5))
    found = {o.start.date(): o for o in occurrences(rcp, date(2027, 3, 29), date(2027, 11, 1))}
    easter, all_saints = found[date(2027, 3, 29)], found[date(2027, 11, 1)]
    assert easter.is_holiday and easter.note == "Lundi de Pâques"
    assert all_saints.is_holiday and all_saints.note == "Toussaint"
    assert not easter.takes_place
    assert found[date(2027, 4, 5)].takes_place
    now = datetime(2027, 3, 24, 9, 0, tzinfo=PARIS)
    assert next_meeting(rcp, now=now).start.date() == date(2027, 4, 5)


def test_an_rcp_marked_as_meeting_on_holidays_meets_then():
    rcp = make_rcp(
        rrule="FREQ=WEEKLY;BYDAY=MO", first_date=date(2026, 1, 5), meets_on_holidays=True
    )
    [easter] = occurrences(rcp, date(2027, 3, 29), date(2027, 3, 29))
    assert easter.takes_place and not easter.note


def test_an_exception_keeps_one_holiday_meeting():
    rcp = make_rcp(rrule="FREQ=WEEKLY;BYDAY=MO", first_date=date(2026, 1, 5))
    make_exception(rcp, date(2027, 3, 29), kind=RcpException.Kind.HELD)
    [easter] = occurrences(rcp, date(2027, 3, 29), date(2027, 3, 29))
    [all_saints] = occurrences(rcp, date(2027, 11, 1), date(2027, 11, 1))
    assert easter.takes_place and all_saints.is_holiday


def test_keeping_a_meeting_that_is_no_holiday_is_refused():
    rcp = make_rcp(rrule="FREQ=WEEKLY;BYDAY=MO", first_date=date(2026, 1, 5))
    with pytest.raises(ValidationError) as caught:
        make_exception(rcp, date(2027, 3, 22), kind=RcpException.Kind.HELD)
    assert "n’est pas un jour férié" in str(caught.value)


def test_deadlines_move_back_over_holidays_of_the_organiser_s_territory():
    # Monday 28 December 2026, files 3 days before: Friday 25 December is
    # Christmas, so Thursday 24.
    mainland = make_rcp(
        rrule="FREQ=WEEKLY;BYDAY=MO", first_date=date(2026, 1, 5), deadline_days_before=3
    )
    [meeting] = occurrences(mainland, date(2026, 12, 28), date(2026, 12, 28))
    assert meeting.deadline == datetime(2026, 12, 24, 12, 0, tzinfo=PARIS)
    # La Réunion, Monday 4 January 2027: Friday 1 January is a holiday there too.
    reunion = make_rcp(
        organiser=reunion_centre(),
        timezone="Indian/Reunion",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        first_date=date(2026, 1, 5),
        deadline_days_before=3,
    )
    [meeting] = occurrences(reunion, date(2027, 1, 4), date(2027, 1, 4))
    assert meeting.deadline == datetime(2026, 12, 31, 12, 0, tzinfo=REUNION)


def test_good_friday_is_a_holiday_in_moselle_only():
    # Tuesday 30 March 2027, 2 days before: Sunday, so Friday 26 March, Good
    # Friday: a working day in Brest, a holiday in Metz (so Thursday 25).
    brest = make_rcp()
    metz = make_rcp(organiser=moselle_centre())
    [in_brest] = occurrences(brest, date(2027, 3, 30), date(2027, 3, 30))
    [in_metz] = occurrences(metz, date(2027, 3, 30), date(2027, 3, 30))
    assert in_brest.deadline.date() == date(2027, 3, 26)
    assert in_metz.deadline.date() == date(2027, 3, 25)


def test_a_deadline_left_on_a_weekend_when_the_rcp_says_so():
    rcp = make_rcp(deadline_skips_weekend=False)
    [meeting] = occurrences(rcp, date(2026, 12, 29), date(2026, 12, 29))
    assert meeting.deadline == datetime(2026, 12, 27, 12, 0, tzinfo=PARIS)


def test_la_reunion_s_abolition_day_is_its_own_holiday():
    # 20 December 2027 is a Monday: a holiday in La Réunion, not in Brest.
    rule = {"rrule": "FREQ=WEEKLY;BYDAY=MO", "first_date": date(2026, 1, 5)}
    reunion = make_rcp(organiser=reunion_centre(), timezone="Indian/Reunion", **rule)
    brest = make_rcp(**rule)
    [there] = occurrences(reunion, date(2027, 12, 20), date(2027, 12, 20))
    [here] = occurrences(brest, date(2027, 12, 20), date(2027, 12, 20))
    assert there.is_holiday and there.note == "Abolition de l’esclavage"
    assert here.takes_place


# --- What the pages say -------------------------------------------------------


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_pages_say_the_files_are_closed_and_name_the_next_reachable_session(client, time_machine):
    # Tuesday 1 December at 22:40: the files for Tuesday 1 December closed on
    # Friday, the meeting itself has taken place; next: 8 December, files by
    # Friday 4 December... seen on Monday 30 November evening here.
    time_machine.move_to(datetime(2026, 11, 30, 22, 40, tzinfo=PARIS), tick=False)
    rcp = make_rcp(name="RCP digestive de l’Ouest")
    for url in (reverse("rcp:directory"), rcp.get_absolute_url(), rcp.organiser.get_absolute_url()):
        page = text(client.get(url))
        assert "dossiers clos le vendredi 27 novembre 2026 à 12 h 00" in page, url
        assert (
            '<dt>Prochaine séance possible</dt><dd class="reachable-start">mardi 8 décembre 2026 '
            'à 14 h 00</dd> <dt>Dossiers à envoyer avant le</dt><dd class="reachable-deadline">'
            "vendredi 4 décembre 2026 à 12 h 00</dd>"
        ) in page, url
    calendar = text(client.get(reverse("rcp:calendar")))
    assert "dossiers clos depuis le vendredi 27 novembre 2026 à 12 h 00" in calendar


def test_the_rcp_page_shows_a_holiday_as_no_meeting(client, time_machine):
    time_machine.move_to(datetime(2027, 3, 20, 9, 0, tzinfo=PARIS), tick=False)
    rcp = make_rcp(rrule="FREQ=WEEKLY;BYDAY=MO", first_date=date(2026, 1, 5))
    page = text(client.get(rcp.get_absolute_url()))
    assert "<del>lundi 29 mars 2027 à 14 h 00</del>" in page
    assert '<strong class="status status-holiday">Jour férié</strong> : Lundi de Pâques' in page
    assert "sauf les jours fériés" in page
    week = text(client.get(reverse("rcp:calendar") + "?semaine=2027-W13"))
    assert "pas de séance, jour férié : Lundi de Pâques" in week


def test_the_calendar_never_offers_a_past_meeting_as_upcoming(client, time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 14, 30, tzinfo=PARIS), tick=False)
    rcp = make_rcp(name="RCP du mardi")
    make_rcp(name="RCP du jeudi", rrule="FREQ=WEEKLY;BYDAY=TH", first_date=date(2026, 1, 8))
    default = text(client.get(reverse("rcp:calendar")))
    assert "RCP du mardi" not in default  # started at 14:00 today; next one is beyond 7 days
    assert "Jeudi 26 novembre 2026" in default
    week = text(client.get(reverse("rcp:calendar") + "?semaine=2026-W48"))
    assert "RCP du mardi" in week and "séance passée" in week
    assert upcoming(rcp, now=datetime(2026, 11, 24, 14, 30, tzinfo=PARIS))[0].start.date() == (
        date(2026, 12, 1)
    )


def test_meetings_of_a_day_are_in_local_time_order(client, time_machine):
    time_machine.move_to(datetime(2026, 11, 23, 8, 0, tzinfo=PARIS), tick=False)
    make_rcp(name="RCP de Paris à 9 h", start_time=time(9, 0))
    make_rcp(
        name="RCP de La Réunion à 14 h",
        organiser=reunion_centre(),
        timezone="Indian/Reunion",
        start_time=time(14, 0),
    )
    make_rcp(name="RCP de Paris à 13 h", start_time=time(13, 0))
    page = text(client.get(reverse("rcp:calendar")))
    # 14:00 in La Réunion is 11:00 in Paris: by local time it comes last.
    assert (
        page.index("RCP de Paris à 9 h")
        < page.index("RCP de Paris à 13 h")
        < page.index("RCP de La Réunion à 14 h")
    )
