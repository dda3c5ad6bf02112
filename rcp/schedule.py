"""Occurrences of RCP meetings: the rule expanded over a bounded window, with
cancelled and moved meetings applied and the submission deadline of each.

Dates are local to the RCP: a meeting on "Tuesday 24 November" is the 24th in
the RCP's own zone, at its local start time, whatever the daylight-saving
rules (the wall time is combined with the zone after the expansion, so a
14:00 meeting in Paris stays at 14:00 in March and in November).

Exceptions come from `rcp.exceptions.all()`: querysets that list RCPs
prefetch them (`for_schedule`, `for_listing`), so computing the occurrences
of 500 RCPs issues no query.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from . import holidays, recurrence
from .models import Rcp, RcpException

# How far ahead the RCP page and the directory look for the next meetings.
HORIZON_DAYS = 400


@dataclass(slots=True)
class Occurrence:
    """One meeting of an RCP. `start`, `end` and `deadline` are aware, in the RCP's zone."""

    rcp: Rcp
    original_date: date
    start: datetime
    end: datetime
    deadline: datetime
    status: str = "scheduled"  # "scheduled", "cancelled", "moved" or "holiday"
    note: str = ""  # the reason of a cancellation or move, the name of a holiday
    original_start: datetime | None = None

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def is_moved(self) -> bool:
        return self.status == "moved"

    @property
    def is_holiday(self) -> bool:
        """Not held: the day is a public holiday of the RCP's territory."""
        return self.status == "holiday"

    @property
    def takes_place(self) -> bool:
        return self.status in ("scheduled", "moved")

    def accepts_files(self, now: datetime) -> bool:
        """Whether a file sent now reaches this meeting."""
        return self.takes_place and now < self.deadline

    @property
    def uid(self) -> str:
        """Stable across moves: the RCP and the date the rule gave."""
        day = self.original_date
        return f"rcp-{self.rcp.id}-{day.year:04d}{day.month:02d}{day.day:02d}@pan-together"


def _at(rcp: Rcp, day: date, at=None) -> datetime:
    return datetime.combine(day, at or rcp.start_time, tzinfo=rcp.zone)


def _make(rcp: Rcp, original: date, start: datetime, **extra) -> Occurrence:
    return Occurrence(
        rcp=rcp,
        original_date=original,
        start=start,
        end=start + timedelta(minutes=rcp.duration_minutes),
        deadline=rcp.deadline_for(start.date()),
        **extra,
    )


def occurrences(rcp: Rcp, first: date, last: date) -> list[Occurrence]:
    """The meetings of one RCP whose local date (moved date for a moved one)
    lies between `first` and `last` included, cancelled ones included, in order."""
    rule = rcp.rule
    if rule is None:
        return []
    exceptions = {e.original_date: e for e in rcp.exceptions.all()}
    calendar = "" if rcp.meets_on_holidays else rcp.holiday_calendar
    result = []
    for day in recurrence.dates_between(rule, rcp.first_date, first, last):
        exception = exceptions.get(day)
        if exception is None:
            holiday = None if rcp.meets_on_holidays else holidays.holiday_name(day, calendar)
            if holiday:
                result.append(_make(rcp, day, _at(rcp, day), status="holiday", note=holiday))
            else:
                result.append(_make(rcp, day, _at(rcp, day)))
        elif exception.kind == RcpException.Kind.CANCELLED:
            result.append(_make(rcp, day, _at(rcp, day), status="cancelled", note=exception.note))
        elif exception.kind == RcpException.Kind.HELD:
            result.append(_make(rcp, day, _at(rcp, day)))
    for exception in exceptions.values():
        if exception.kind != RcpException.Kind.MOVED or not first <= exception.new_date <= last:
            continue
        if not recurrence.is_occurrence(rule, rcp.first_date, exception.original_date):
            continue  # a stale exception, after the rule changed
        result.append(
            _make(
                rcp,
                exception.original_date,
                _at(rcp, exception.new_date, exception.new_start_time),
                status="moved",
                note=exception.note,
                original_start=_at(rcp, exception.original_date),
            )
        )
    if len(exceptions) > 0:
        result.sort(key=lambda o: o.start)
    return result


def upcoming(rcp: Rcp, *, now: datetime | None = None, limit: int = 10) -> list[Occurrence]:
    """The next `limit` meetings not yet started (cancelled ones listed as such)."""
    now = now or timezone.now()
    today = now.astimezone(rcp.zone).date()
    found = [
        o for o in occurrences(rcp, today, today + timedelta(days=HORIZON_DAYS)) if o.start > now
    ]
    return found[:limit]


@dataclass(slots=True)
class NextSession:
    """What a doctor needs to know: the next meeting, and if its deadline has
    passed (`closed`), the first meeting a file sent now can still reach."""

    meeting: Occurrence
    reachable: Occurrence | None

    @property
    def closed(self) -> bool:
        return self.reachable is None or self.reachable.original_date != self.meeting.original_date


def next_meeting(rcp: Rcp, *, now: datetime | None = None) -> Occurrence | None:
    """The next meeting that will take place (not cancelled, not on a holiday),
    within the horizon."""
    found = next_session(rcp, now=now)
    return found.meeting if found else None


def next_session(rcp: Rcp, *, now: datetime | None = None) -> NextSession | None:
    """The next meeting that takes place and the next one still open to new
    files (the same one when its deadline is ahead), within the horizon."""
    now = now or timezone.now()
    today = now.astimezone(rcp.zone).date()
    meeting = None
    # Most RCPs meet within a month: look there first, then to the horizon.
    for span in (35, HORIZON_DAYS):
        for occurrence in occurrences(rcp, today, today + timedelta(days=span)):
            if occurrence.start <= now or not occurrence.takes_place:
                continue
            if meeting is None:
                meeting = occurrence
            if now < occurrence.deadline:
                return NextSession(meeting, occurrence)
    return NextSession(meeting, None) if meeting else None


def network_occurrences(rcps, first: date, last: date, *, ordered=True) -> list[Occurrence]:
    """The meetings of many RCPs between two local dates, in order of start
    (or in no particular order, for a feed)."""
    result = []
    for rcp in rcps:
        result.extend(occurrences(rcp, first, last))
    if not ordered:
        return result
    # One UTC timestamp per meeting: comparing aware datetimes of several zones
    # would look up their offsets at every comparison of the sort.
    result.sort(key=lambda o: (o.start.timestamp(), o.rcp.name))
    return result
