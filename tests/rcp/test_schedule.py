"""Occurrences with exceptions, submission deadlines, time zones and daylight saving."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from rcp.frenchdates import describe_rule, format_datetime
from rcp.models import Rcp, RcpException
from rcp.recurrence import parse
from rcp.schedule import network_occurrences, next_meeting, occurrences, upcoming

from .factories import make_exception, make_rcp

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def local_times(items):
    return [(o.start.date(), o.start.time()) for o in items]


def test_cancelled_meeting_is_listed_as_cancelled():
    rcp = make_rcp()
    make_exception(rcp, date(2026, 11, 10), note="Congrès")
    found = occurrences(rcp, date(2026, 11, 1), date(2026, 11, 30))
    assert [o.start.date() for o in found] == [
        date(2026, 11, 3),
        date(2026, 11, 10),
        date(2026, 11, 17),
        date(2026, 11, 24),
    ]
    cancelled = found[1]
    assert cancelled.is_cancelled and cancelled.note == "Congrès"


def test_moved_meeting_appears_at_its_new_date_and_time_only():
    rcp = make_rcp()
    make_exception(
        rcp,
        date(2026, 11, 10),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 11, 12),
        new_start_time=time(9, 30),
    )
    found = occurrences(rcp, date(2026, 11, 1), date(2026, 11, 30))
    assert local_times(found) == [
        (date(2026, 11, 3), time(14, 0)),
        (date(2026, 11, 12), time(9, 30)),
        (date(2026, 11, 17), time(14, 0)),
        (date(2026, 11, 24), time(14, 0)),
    ]
    moved = found[1]
    assert moved.is_moved
    assert moved.original_start == datetime(2026, 11, 10, 14, 0, tzinfo=PARIS)
    assert moved.uid == f"rcp-{rcp.pk}-20261110@pan-together"
    # The deadline follows the new date (2 days before the 12th).
    assert moved.deadline == datetime(2026, 11, 10, 12, 0, tzinfo=PARIS)


def test_meeting_moved_into_or_out_of_a_window_follows_its_new_date():
    rcp = make_rcp()
    make_exception(
        rcp, date(2026, 12, 1), kind=RcpException.Kind.MOVED, new_date=date(2026, 11, 30)
    )
    november = occurrences(rcp, date(2026, 11, 1), date(2026, 11, 30))
    december = occurrences(rcp, date(2026, 12, 1), date(2026, 12, 31))
    assert date(2026, 11, 30) in [o.start.date() for o in november]
    assert date(2026, 12, 1) not in [o.start.date() for o in december]


def test_next_meeting_skips_cancelled_ones_and_upcoming_lists_ten():
    rcp = make_rcp()
    make_exception(rcp, date(2026, 11, 24))
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert next_meeting(rcp, now=now).start.date() == date(2026, 12, 1)
    listed = upcoming(rcp, now=now, limit=10)
    assert len(listed) == 10
    assert listed[0].is_cancelled and listed[0].start.date() == date(2026, 11, 24)


def test_meeting_already_started_is_not_next():
    rcp = make_rcp()
    during = datetime(2026, 11, 24, 14, 30, tzinfo=PARIS)
    assert next_meeting(rcp, now=during).start.date() == date(2026, 12, 1)


def test_weekly_meeting_stays_at_14h_paris_time_in_march_and_november():
    rcp = make_rcp(first_date=date(2026, 1, 6))
    march = occurrences(rcp, date(2026, 3, 24), date(2026, 3, 31))  # DST starts on 29 March
    november = occurrences(rcp, date(2026, 11, 3), date(2026, 11, 3))
    assert [o.start.time() for o in march + november] == [time(14, 0)] * 3
    assert [o.start.astimezone(UTC).hour for o in march] == [13, 12]  # CET then CEST
    assert november[0].start.astimezone(UTC).hour == 13


def test_reunion_meeting_is_at_14h_reunion_time_all_year():
    rcp = make_rcp(timezone="Indian/Reunion")
    found = occurrences(rcp, date(2026, 3, 24), date(2026, 3, 31)) + occurrences(
        rcp, date(2026, 11, 3), date(2026, 11, 3)
    )
    assert {o.start.astimezone(UTC).time() for o in found} == {time(10, 0)}
    assert format_datetime(found[-1].start) == (
        "mardi 3 novembre 2026 à 14\u00a0h\u00a000 "
        "(heure de La Réunion\u00a0; 11\u00a0h\u00a000 à Paris)"
    )


def test_deadline_on_a_weekend_moves_back_to_friday():
    # A Monday meeting, files due 2 days before: Saturday becomes Friday.
    rcp = make_rcp(rrule="FREQ=WEEKLY;BYDAY=MO", first_date=date(2026, 1, 5))
    meeting = occurrences(rcp, date(2026, 11, 23), date(2026, 11, 23))[0]
    assert meeting.deadline == datetime(2026, 11, 20, 12, 0, tzinfo=PARIS)
    assert meeting.deadline.weekday() == 4


def test_deadline_on_a_weekend_stays_when_the_rcp_says_so():
    rcp = make_rcp(
        rrule="FREQ=WEEKLY;BYDAY=MO", first_date=date(2026, 1, 5), deadline_skips_weekend=False
    )
    meeting = occurrences(rcp, date(2026, 11, 23), date(2026, 11, 23))[0]
    assert meeting.deadline == datetime(2026, 11, 21, 12, 0, tzinfo=PARIS)


def test_deadline_the_day_before_in_another_time_zone():
    # Cayenne (UTC-3), Tuesday 8:30 meeting, files due the day before at 20:00
    # Cayenne time: that is already Tuesday 0:00 in Paris.
    rcp = make_rcp(
        timezone="America/Cayenne",
        start_time=time(8, 30),
        deadline_days_before=1,
        deadline_time=time(20, 0),
    )
    meeting = occurrences(rcp, date(2026, 11, 24), date(2026, 11, 24))[0]
    assert meeting.deadline == datetime(2026, 11, 23, 20, 0, tzinfo=ZoneInfo("America/Cayenne"))
    assert meeting.deadline.astimezone(PARIS) == datetime(2026, 11, 24, 0, 0, tzinfo=PARIS)
    assert format_datetime(meeting.deadline) == (
        "lundi 23 novembre 2026 à 20\u00a0h\u00a000 "
        "(heure de la Guyane\u00a0; mardi 0\u00a0h\u00a000 à Paris)"
    )


def test_same_day_deadline_must_precede_the_meeting():
    with pytest.raises(ValidationError) as error:
        make_rcp(deadline_days_before=0, deadline_time=time(15, 0))
    assert "deadline_time" in error.value.message_dict


def test_first_date_must_be_a_meeting_of_the_rule():
    with pytest.raises(ValidationError) as error:
        make_rcp(first_date=date(2026, 1, 7))  # a Wednesday, for a Tuesday rule
    assert "n’est pas une date de la règle" in error.value.message_dict["first_date"][0]


def test_rule_without_any_future_meeting_is_refused():
    with pytest.raises(ValidationError) as error:
        make_rcp(rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20260301")
    assert "aucune séance dans les deux ans" in error.value.message_dict["rrule"][0]


def test_invalid_rule_is_refused_with_its_reason():
    with pytest.raises(ValidationError) as error:
        make_rcp(rrule="FREQ=DAILY")
    assert "Règle de récurrence refusée" in error.value.message_dict["rrule"][0]


def test_exception_on_a_day_without_meeting_is_refused():
    rcp = make_rcp()
    with pytest.raises(ValidationError) as error:
        make_exception(rcp, date(2026, 11, 11))
    assert "pas de séance prévue" in error.value.message_dict["original_date"][0]


def test_moved_exception_needs_a_new_date():
    rcp = make_rcp()
    with pytest.raises(ValidationError) as error:
        make_exception(rcp, date(2026, 11, 10), kind=RcpException.Kind.MOVED)
    assert "new_date" in error.value.message_dict


def test_weekdays_are_stored_for_the_directory_filter():
    rcp = make_rcp(rrule="FREQ=MONTHLY;BYDAY=1TU,3TH", first_date=date(2026, 1, 6))
    assert rcp.weekdays == "TU,TH"
    assert list(Rcp.objects.on_weekday("TH")) == [rcp]


def test_stale_exception_after_a_rule_change_is_ignored():
    rcp = make_rcp()
    make_exception(rcp, date(2026, 11, 10))
    rcp.rrule = "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2"
    rcp.first_date = date(2026, 1, 13)
    rcp.save()
    rcp = Rcp.objects.prefetch_related("exceptions").get(pk=rcp.pk)
    found = occurrences(rcp, date(2026, 11, 1), date(2026, 11, 30))
    assert [o.start.date() for o in found] == [date(2026, 11, 3), date(2026, 11, 17)]
    assert not any(o.is_cancelled for o in found)


def test_network_occurrences_are_sorted_by_instant_across_zones():
    paris = make_rcp(start_time=time(11, 0))
    reunion = make_rcp(timezone="Indian/Reunion", start_time=time(13, 0))  # 10:00 Paris
    found = network_occurrences(Rcp.objects.for_listing(), date(2026, 11, 24), date(2026, 11, 24))
    assert [o.rcp for o in found] == [reunion, paris]


@pytest.mark.parametrize(
    "text, first_date, expected",
    [
        ("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), "chaque mardi"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", date(2026, 1, 5), "chaque lundi et chaque jeudi"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", date(2026, 1, 7), "un mercredi sur deux"),
        ("FREQ=WEEKLY", date(2026, 1, 8), "chaque jeudi"),
        ("FREQ=MONTHLY;BYDAY=1TU,3TU", date(2026, 1, 6), "le 1er et le 3e mardi du mois"),
        ("FREQ=MONTHLY;BYDAY=-1TH", date(2026, 1, 29), "le dernier jeudi du mois"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", date(2026, 1, 15), "le 15 du mois"),
        (
            "FREQ=WEEKLY;BYDAY=TU;BYMONTH=1,2,3,4,5,6,7,9,10,11,12",
            date(2026, 1, 6),
            "chaque mardi, sauf en août",
        ),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1", date(2026, 1, 27), None),
    ],
)
def test_rules_are_described_in_plain_french(text, first_date, expected):
    assert describe_rule(parse(text), first_date) == expected
