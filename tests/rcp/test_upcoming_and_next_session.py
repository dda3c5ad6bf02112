"""schedule.upcoming_and_next_session (one expansion, for the API's lists) says
what upcoming() and next_session() say, each expanding the rule on its own."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcp import recurrence
from rcp.models import RcpException
from rcp.schedule import next_session, upcoming, upcoming_and_next_session
from tests import factories

from .factories import make_exception, make_rcp

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
RULES = [
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "FREQ=WEEKLY;BYDAY=MO,TH",
    "FREQ=MONTHLY;BYDAY=1WE,3WE",
    "FREQ=MONTHLY;BYDAY=-1TH;COUNT=12",
    "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=WEEKLY;BYDAY=WE;UNTIL=20260415",
]


def check(rcp, now, limit):
    found, session = upcoming_and_next_session(rcp, now=now, limit=limit)
    assert found == upcoming(rcp, now=now, limit=limit)
    assert session == next_session(rcp, now=now)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rule=st.sampled_from(RULES),
    territory=st.sampled_from(["29", "57", "974"]),
    days_before=st.sampled_from([0, 2, 10, 30]),
    limit=st.sampled_from([1, 3, 10]),
    hours=st.integers(0, 24 * 90),
    changes=st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from(["cancelled", "moved"]), st.integers(-3, 50)),
        max_size=5,
    ),
)
def test_one_expansion_gives_the_upcoming_meetings_and_the_next_session(
    rule, territory, days_before, limit, hours, changes
):
    with time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=PARIS), tick=False):
        first_date = recurrence.first_after(
            recurrence.parse(rule), date(2026, 1, 5), date(2026, 1, 5)
        )
        rcp = make_rcp(
            rrule=rule,
            first_date=first_date,
            organiser=factories.make_centre(
                department_code=territory, postcode=f"{territory}000"[:5]
            ),
            deadline_days_before=days_before,
            deadline_time=time(12, 0),
        )
        dates = recurrence.dates_between(rcp.rule, first_date, date(2026, 2, 1), date(2026, 5, 1))
        for index, kind, shift in changes:
            if not dates:
                break
            day = dates[index % len(dates)]
            if RcpException.objects.filter(rcp=rcp, original_date=day).exists():
                continue
            if kind == "moved":
                make_exception(
                    rcp,
                    day,
                    kind=kind,
                    new_date=day + timedelta(days=shift),
                    new_start_time=None if shift else time(9),  # the same day: another hour
                )
            else:
                make_exception(rcp, day, kind=kind)
    rcp.refresh_from_db()
    check(rcp, datetime(2026, 2, 1, 9, tzinfo=PARIS) + timedelta(hours=hours), limit)


def test_every_meeting_of_the_month_closed_looks_to_the_horizon():
    # Files due 30 days ahead: none of the month's meetings is still reachable.
    rcp = make_rcp(deadline_days_before=30)
    now = datetime(2026, 11, 2, 9, tzinfo=PARIS)
    found, session = upcoming_and_next_session(rcp, now=now, limit=3)
    assert session.closed and session.reachable.start.date() == date(2026, 12, 8)
    check(rcp, now, 3)
    check(rcp, now, 10)
