"""The calendar computes meetings from Timetables (an RCP's columns read with
values()): they must be those the RCP model gives, in every case."""

from datetime import date, time

import pytest

from rcp.models import Rcp, RcpException
from rcp.schedule import (
    TIMETABLE_FIELDS,
    Timetable,
    exceptions_by_rcp,
    network_occurrences,
    occurrences,
)
from tests import factories

from .factories import make_exception, make_rcp

pytestmark = pytest.mark.django_db


def seen(meetings) -> list[tuple]:
    """What a page or a feed can show of each meeting, its zone included."""
    return [
        (
            m.rcp.pk,
            m.original_date,
            m.start.replace(tzinfo=None),
            m.start.tzinfo.key,
            m.end.replace(tzinfo=None),
            m.deadline.replace(tzinfo=None),
            m.deadline.tzinfo.key,
            m.status,
            m.note,
            m.original_start,
            m.uid,
        )
        for m in meetings
    ]


@pytest.fixture
def rcps():
    weekly = make_rcp()  # Tuesdays 14:00, files two days before at noon
    make_exception(weekly, date(2026, 12, 22), note="Congrès")
    make_exception(  # into the second window, from a date before it
        weekly,
        date(2026, 12, 15),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 12, 21),
    )
    make_exception(weekly, date(2026, 3, 3), note="Long ago")  # outside both windows
    make_exception(
        weekly,
        date(2026, 12, 29),
        kind=RcpException.Kind.MOVED,
        new_date=date(2027, 1, 4),
        new_start_time=time(8, 30),
    )
    fridays = make_rcp(  # Christmas and New Year's Day: not held, then held anyway
        rrule="FREQ=WEEKLY;BYDAY=FR", first_date=date(2026, 1, 2), deadline_days_before=4
    )
    make_exception(fridays, date(2027, 1, 1), kind=RcpException.Kind.HELD)
    make_rcp(  # files sent back over the weekend and Moselle's 26 December
        rrule="FREQ=WEEKLY;BYDAY=MO",
        first_date=date(2026, 1, 5),
        deadline_days_before=1,
        deadline_skips_weekend=True,
        organiser=factories.make_centre(postcode="57000", city="Metz", department_code="57"),
    )
    make_rcp(  # overseas, the last Thursday of the month, meets on public holidays
        rrule="FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1",
        first_date=date(2026, 1, 29),
        timezone="Indian/Reunion",
        meets_on_holidays=True,
        organiser=factories.make_centre(
            postcode="97400", city="Saint-Denis", department_code="974"
        ),
    )
    make_rcp(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=40", first_date=date(2026, 3, 4))
    broken = make_rcp()
    Rcp.objects.filter(pk=broken.pk).update(rrule="FREQ=NEVER")  # an invalid stored rule
    return Rcp.objects.order_by("pk")


@pytest.mark.parametrize(
    "first, last, statuses",
    [
        (date(2026, 12, 1), date(2026, 12, 31), {"scheduled", "cancelled", "holiday", "moved"}),
        # Meetings moved into the window from dates before it and in it.
        (date(2026, 12, 21), date(2027, 1, 10), {"scheduled", "cancelled", "holiday", "moved"}),
    ],
)
def test_timetables_give_the_meetings_the_rcps_give(rcps, first, last, statuses):
    timetables = [Timetable.from_values(row) for row in rcps.values(*TIMETABLE_FIELDS)]
    exceptions = exceptions_by_rcp(rcps)
    expected = network_occurrences(rcps.prefetch_related("exceptions"), first, last)
    # The calendar reads only the exceptions of its window.
    window = exceptions_by_rcp(rcps, first, last)
    assert sum(map(len, window.values())) < sum(map(len, exceptions.values()))
    found = network_occurrences(timetables, first, last, exceptions=window)
    assert seen(found) == seen(expected)
    assert {m.status for m in found} == statuses
    for rcp, timetable in zip(rcps, timetables, strict=True):
        assert (timetable.rule is None) == (rcp.rule is None)
        assert timetable.holiday_calendar == rcp.holiday_calendar
        assert seen(occurrences(timetable, first, last, exceptions.get(rcp.pk, ()))) == seen(
            occurrences(rcp, first, last)
        )
