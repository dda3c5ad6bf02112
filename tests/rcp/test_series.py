"""schedule.series (what a feed writes) says the same as schedule.occurrences."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rcp import recurrence
from rcp.models import RcpException
from rcp.schedule import occurrences, series
from tests import factories

from .factories import make_exception, make_rcp

pytestmark = pytest.mark.django_db

RULES = [
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "FREQ=WEEKLY;BYDAY=MO,TH",
    "FREQ=WEEKLY;BYDAY=FR;BYMONTH=1,2,3,4,5,6,9,10,11,12",
    "FREQ=MONTHLY;BYDAY=1WE,3WE",
    "FREQ=MONTHLY;BYDAY=-1TH;COUNT=12",
    "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261130",
]
TERRITORIES = ["29", "57", "971", "972", "973", "974", "976"]


def rebuilt(found):
    """The meetings held, as (original date, local start, deadline), from a Series."""
    rcp = found.rcp
    changed = {o.original_date: o for o in found.changed}
    skipped = set(found.skipped)
    meetings = []
    for day in found.dates:
        if day in skipped:
            continue
        if day in changed:
            o = changed[day]
            meetings.append((day, o.start, o.deadline))
        else:
            start = datetime.combine(day, rcp.start_time, rcp.zone)
            deadline_day = day - timedelta(days=found.usual_offset)
            deadline = datetime.combine(deadline_day, rcp.deadline_time, rcp.zone)
            meetings.append((day, start, deadline))
    return meetings


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rule=st.sampled_from(RULES),
    territory=st.sampled_from(TERRITORIES),
    days_before=st.sampled_from([0, 1, 2, 3, 7, 10]),
    skips=st.booleans(),
    holidays_too=st.booleans(),
    changes=st.lists(
        st.tuples(
            st.integers(0, 60), st.sampled_from(["cancelled", "moved", "held"]), st.integers(-3, 9)
        ),
        max_size=4,
    ),
)
# Found by hypothesis: a monthly rule on a day of the month meets on every
# weekday, so its usual deadline is not one offset for all.
@example(
    rule="FREQ=MONTHLY;BYMONTHDAY=15",
    territory="29",
    days_before=1,
    skips=True,
    holidays_too=False,
    changes=[],
)
def test_series_says_what_occurrences_say(
    rule, territory, days_before, skips, holidays_too, changes
):
    with time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=ZoneInfo("Europe/Paris")), tick=False):
        _check(rule, territory, days_before, skips, holidays_too, changes)


def _check(rule, territory, days_before, skips, holidays_too, changes):
    first_date = recurrence.first_after(recurrence.parse(rule), date(2025, 6, 2), date(2025, 6, 2))
    rcp = make_rcp(
        rrule=rule,
        first_date=first_date,
        organiser=factories.make_centre(department_code=territory, postcode=f"{territory}000"[:5]),
        deadline_days_before=days_before,
        deadline_time=time(12, 0),
        start_time=time(14, 0),
        deadline_skips_weekend=skips,
        meets_on_holidays=holidays_too,
    )
    first, last = date(2026, 2, 1), date(2027, 2, 1)
    dates = recurrence.dates_between(rcp.rule, rcp.first_date, first - timedelta(days=20), last)
    for index, kind, shift in changes:
        if not dates:
            break
        day = dates[index % len(dates)]
        if RcpException.objects.filter(rcp=rcp, original_date=day).exists():
            continue
        if kind == "held" and (holidays_too or rcp.holiday_on(day) is None):
            continue
        if kind == "moved":
            new = day + timedelta(days=shift)
            make_exception(
                rcp, day, kind=kind, new_date=new, new_start_time=None if shift else time(9)
            )
        else:
            make_exception(rcp, day, kind=kind)
    rcp.refresh_from_db()
    want = [
        (o.original_date, o.start, o.deadline)
        for o in occurrences(rcp, first, last)
        if o.takes_place
    ]
    found = series(rcp, first, last)
    got = [] if found is None else rebuilt(found)
    # series starts at the first date of the rule in the window (or earlier, for
    # a meeting moved into it) and may hold a meeting moved out of it.
    got = sorted(m for m in got if first <= m[1].date() <= last)
    assert got == sorted(want)
