"""Occurrences of RCP meetings: the rule expanded over a bounded window, with
cancelled and moved meetings applied and the submission deadline of each.

Dates are local to the RCP: a meeting on "Tuesday 24 November" is the 24th in
the RCP's own zone, at its local start time, whatever the daylight-saving
rules (the wall time is combined with the zone after the expansion, so a
14:00 meeting in Paris stays at 14:00 in March and in November).

Exceptions come from `rcp.exceptions.all()`: querysets that list RCPs
prefetch them (`for_schedule`, `for_listing`), so computing the occurrences
of 500 RCPs issues no query.

`occurrences()` and `network_occurrences()` also take a `Timetable`, an RCP's
schedule read with `values()`: a calendar of 500 RCPs builds no model instance.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from . import holidays, recurrence
from .models import Rcp, RcpException

# How far ahead the RCP page and the directory look for the next meetings.
HORIZON_DAYS = 400


@dataclass(slots=True)
class Occurrence:
    """One meeting of an RCP. `start`, `end` and `deadline` are aware, in the RCP's zone."""

    rcp: Rcp  # or a Timetable
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


# What a Timetable reads of an RCP (`Rcp.objects.values(*TIMETABLE_FIELDS)`).
TIMETABLE_FIELDS = (
    "id",
    "name",
    "rrule",
    "first_date",
    "start_time",
    "duration_minutes",
    "timezone",
    "deadline_days_before",
    "deadline_time",
    "deadline_skips_weekend",
    "meets_on_holidays",
    "organiser__department__code",
)


@dataclass(slots=True, eq=False)
class Timetable:
    """An RCP's schedule, read once from its columns (`TIMETABLE_FIELDS`), for
    the functions of this module: it answers as `Rcp` does (`rule`, `zone`,
    `holiday_calendar`, `deadline_for`), which the tests check, at a fraction
    of the cost of a model instance and of its properties."""

    id: int
    name: str  # the order of meetings at the same time
    rule: recurrence.Rule | None
    first_date: date | None
    start_time: time
    duration_minutes: int
    zone: ZoneInfo
    deadline_days_before: int
    deadline_time: time
    deadline_skips_weekend: bool
    meets_on_holidays: bool
    holiday_calendar: str

    @staticmethod
    def arguments(row: dict) -> dict:
        """The fields of a Timetable from a row of `values(*TIMETABLE_FIELDS)`
        (a subclass adds its own to them)."""
        try:
            rule = recurrence.parse(row["rrule"])
        except recurrence.RuleError:
            rule = None
        return {
            "id": row["id"],
            "name": row["name"],
            "rule": rule,
            "first_date": row["first_date"],
            "start_time": row["start_time"],
            "duration_minutes": row["duration_minutes"],
            "zone": ZoneInfo(row["timezone"]),
            "deadline_days_before": row["deadline_days_before"],
            "deadline_time": row["deadline_time"],
            "deadline_skips_weekend": row["deadline_skips_weekend"],
            "meets_on_holidays": row["meets_on_holidays"],
            "holiday_calendar": holidays.territory(row["organiser__department__code"]),
        }

    @classmethod
    def from_values(cls, row: dict) -> "Timetable":
        return cls(**cls.arguments(row))

    @property
    def pk(self) -> int:
        return self.id

    # The model's rule itself: it reads only attributes a Timetable has too.
    deadline_for = Rcp.deadline_for


def _at(rcp: Rcp | Timetable, day: date, at=None) -> datetime:
    return datetime.combine(day, at or rcp.start_time, tzinfo=rcp.zone)


def _make(rcp: Rcp | Timetable, original: date, start: datetime, **extra) -> Occurrence:
    return Occurrence(
        rcp=rcp,
        original_date=original,
        start=start,
        end=start + timedelta(minutes=rcp.duration_minutes),
        deadline=rcp.deadline_for(start.date()),
        **extra,
    )


def occurrences(rcp: Rcp | Timetable, first: date, last: date, exceptions=None) -> list[Occurrence]:
    """The meetings of one RCP whose local date (moved date for a moved one)
    lies between `first` and `last` included, cancelled ones included, in order.

    `exceptions`: the RCP's exceptions if the caller fetched them, else
    `rcp.exceptions.all()`."""
    rule = rcp.rule
    if rule is None:
        return []
    if exceptions is None:
        exceptions = rcp.exceptions.all()
    exceptions = {e.original_date: e for e in exceptions}
    days_off = {}  # {date: name} of the public holidays it does not meet on
    if not rcp.meets_on_holidays:
        calendar = rcp.holiday_calendar
        days_off = {
            day: holidays.holiday_name(day, calendar)
            for day in holidays.between(calendar, first, last)
        }
    # Read once: a calendar expands 500 RCPs, 2,000 meetings.
    zone, start_time, deadline_for = rcp.zone, rcp.start_time, rcp.deadline_for
    length = timedelta(minutes=rcp.duration_minutes)
    result = []
    for day in recurrence.dates_between(rule, rcp.first_date, first, last):
        exception = exceptions.get(day)
        if exception is None:
            start = datetime.combine(day, start_time, tzinfo=zone)
            holiday = days_off.get(day)
            if holiday:
                meeting = Occurrence(
                    rcp, day, start, start + length, deadline_for(day), "holiday", holiday
                )
            else:
                meeting = Occurrence(rcp, day, start, start + length, deadline_for(day))
            result.append(meeting)
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


def next_session(rcp: Rcp, *, now: datetime | None = None, exceptions=None) -> NextSession | None:
    """The next meeting that takes place and the next one still open to new
    files (the same one when its deadline is ahead), within the horizon.
    `exceptions`: the RCP's exceptions if the caller fetched them (`exceptions_by_rcp`)."""
    now = now or timezone.now()
    today = now.astimezone(rcp.zone).date()
    meeting = None
    # Most RCPs meet within a month: look there first, then to the horizon.
    for span in (35, HORIZON_DAYS):
        for occurrence in occurrences(rcp, today, today + timedelta(days=span), exceptions):
            if occurrence.start <= now or not occurrence.takes_place:
                continue
            if meeting is None:
                meeting = occurrence
            if now < occurrence.deadline:
                return NextSession(meeting, occurrence)
    return NextSession(meeting, None) if meeting else None


def network_occurrences(
    rcps, first: date, last: date, *, ordered=True, exceptions=None
) -> list[Occurrence]:
    """The meetings of many RCPs between two local dates, in order of start
    (or in no particular order, for a feed). `exceptions`: {RCP pk: its
    exceptions} if the caller fetched them (`exceptions_by_rcp`), else each
    RCP's prefetched `rcp.exceptions.all()`."""
    result = []
    for rcp in rcps:
        found = None if exceptions is None else exceptions.get(rcp.pk, ())
        result.extend(occurrences(rcp, first, last, found))
    if not ordered:
        return result
    # One UTC timestamp per meeting: comparing aware datetimes of several zones
    # would look up their offsets at every comparison of the sort.
    result.sort(key=lambda o: (o.start.timestamp(), o.rcp.name))
    return result


def exceptions_by_rcp(
    rcps, first: date | None = None, last: date | None = None
) -> dict[int, list[RcpException]]:
    """{RCP pk: its exceptions} for a queryset of RCPs, in one query: a prefetch
    builds a related manager and a queryset per RCP (500 on the calendar).
    With `first` and `last`: only those `occurrences()` reads for that window
    (of a meeting in it, or moved into it), not the years of history."""
    found: dict[int, list[RcpException]] = {}
    exceptions = rcps.exceptions_for()
    if first is not None and last is not None:
        exceptions = exceptions.filter(
            Q(original_date__range=(first, last))
            | Q(kind=RcpException.Kind.MOVED, new_date__range=(first, last))
        )
    for exception in exceptions.order_by("original_date"):
        found.setdefault(exception.rcp_id, []).append(exception)
    return found


@dataclass(slots=True)
class Series:
    """An RCP's meetings over a window, shaped as a calendar feed writes them:
    its rule from a real meeting date (`start`, which keeps the phase of an
    "every other week" rule), the dates of the rule that are not held
    (cancelled, or public holidays of its territory), and the meetings that
    differ from the rule: moved, or whose submission deadline is not the usual
    one (`usual_offset` days before, at the usual time)."""

    rcp: Rcp
    start: date
    dates: list[date]  # the rule's dates from `start` to the window's last day
    skipped: list[date]
    changed: list[Occurrence]  # moved, or held with an unusual deadline
    usual_offset: int
    count: int | None  # what is left of the rule's COUNT from `start`

    @property
    def held(self) -> list[date]:
        """The rule's dates that are held as the rule says (neither skipped nor changed)."""
        other = set(self.skipped) | {o.original_date for o in self.changed}
        return [day for day in self.dates if day not in other]


def usual_offset(rcp: Rcp, day: date) -> int:
    """Days from the usual deadline to a meeting on that day: the RCP's number of
    days, moved back over a weekend if it says so (public holidays aside)."""
    days = rcp.deadline_days_before
    if rcp.deadline_skips_weekend and days:
        weekday = (day - timedelta(days=days)).weekday()
        days += max(0, weekday - 4)  # Saturday: 1 more day, Sunday: 2
    return days


def series(rcp: Rcp, first: date, last: date, exceptions=None) -> Series | None:
    """The meetings of one RCP between two local dates, as a feed writes them
    (None when the rule gives no date there). It agrees with `occurrences()`,
    which the tests check; it builds an Occurrence only for the meetings that
    differ from the rule, so that a feed of 500 RCPs stays fast.

    `exceptions`: the RCP's exceptions if the caller fetched them (a feed
    fetches those of all its RCPs in one query), else `rcp.exceptions.all()`.
    """
    rule = rcp.rule
    if rule is None:
        return None
    if exceptions is None:
        exceptions = rcp.exceptions.all()
    exceptions = {e.original_date: e for e in exceptions}
    # A meeting moved into the window from a date before it: the rule must
    # start early enough for its RECURRENCE-ID to be one of its dates.
    earliest = first
    for exception in exceptions.values():
        if (
            exception.kind == RcpException.Kind.MOVED
            and exception.original_date < earliest
            and first <= exception.new_date <= last
            and recurrence.is_occurrence(rule, rcp.first_date, exception.original_date)
        ):
            earliest = exception.original_date
    dates = recurrence.dates_between(rule, rcp.first_date, earliest, last)
    if not dates:
        return None
    start = dates[0]
    territory = rcp.holiday_calendar
    offset = usual_offset(rcp, start)
    # Work on the few public holidays and exceptions, not on every date: a
    # feed of 500 RCPs has 20,000 dates.
    days_off = holidays.between(territory, start - timedelta(days=40), last)
    on_rule = set(dates)
    unusual: set[date] = set()  # held as the rule says, but with another deadline
    weekdays = {d.weekday() for d in dates}  # a BYMONTHDAY rule meets on any weekday
    offsets = {
        weekday: usual_offset(rcp, start + timedelta(days=(weekday - start.weekday()) % 7))
        for weekday in weekdays
    }
    if len(set(offsets.values())) > 1:  # several weekdays, several usual deadlines
        unusual.update(d for d in dates if offsets.get(d.weekday(), offset) != offset)
    if rcp.deadline_skips_weekend and rcp.deadline_days_before:
        # The deadline moves back further when its usual day is a public holiday.
        for holiday in days_off:
            for days in set(offsets.values()):
                day = holiday + timedelta(days=days)
                if day in on_rule and offsets.get(day.weekday()) == days:
                    unusual.add(day)
    skipped: set[date] = set()
    if not rcp.meets_on_holidays:
        skipped.update(day for day in days_off if day in on_rule)
    changed: list[Occurrence] = []
    for day, exception in exceptions.items():
        if day not in on_rule:
            continue
        if exception.kind == RcpException.Kind.HELD:
            skipped.discard(day)
        elif exception.kind == RcpException.Kind.CANCELLED:
            skipped.add(day)
            unusual.discard(day)
        elif exception.kind == RcpException.Kind.MOVED:
            skipped.discard(day)
            unusual.discard(day)
            changed.append(
                _make(
                    rcp,
                    day,
                    _at(rcp, exception.new_date, exception.new_start_time),
                    status="moved",
                    note=exception.note,
                    original_start=_at(rcp, day),
                )
            )
    changed += [_make(rcp, day, _at(rcp, day)) for day in unusual - skipped]
    changed.sort(key=lambda o: o.original_date)
    count = None
    if rule.count is not None:
        count = rule.count - recurrence.count_before(rule, rcp.first_date, start)
    return Series(rcp, start, dates, sorted(skipped), changed, offset, count)


def upcoming_and_next_session(
    rcp: Rcp, *, now: datetime | None = None, limit: int = 10, exceptions=None
) -> tuple[list[Occurrence], NextSession | None]:
    """`upcoming(rcp, limit=limit)` and `next_session(rcp)` from one expansion of
    the rule, only as far as needed: a month, three, then to the horizon. A
    list of RCPs (the API) needs both for each, and expanding the horizon is
    a year of meetings for the first three.

    `occurrences` lists the meetings by start, by their local date: those of
    a window are those of its first days followed by those of the next.
    `exceptions`: the RCP's exceptions if the caller fetched them, else
    `rcp.exceptions.all()`."""
    now = now or timezone.now()
    today = now.astimezone(rcp.zone).date()
    if exceptions is None:
        exceptions = list(rcp.exceptions.all())
    found: list[Occurrence] = []
    first = today
    for span in (35, 100, HORIZON_DAYS):
        last = today + timedelta(days=span)
        found += [o for o in occurrences(rcp, first, last, exceptions) if o.start > now]
        meeting, reachable = _first_sessions(found, now)
        if reachable is not None and len(found) >= limit:
            break
        first = last + timedelta(days=1)
    return found[:limit], NextSession(meeting, reachable) if meeting else None


def _first_sessions(ahead: list[Occurrence], now: datetime):
    """The first meeting that takes place, and the first a file sent now reaches."""
    meeting = None
    for occurrence in ahead:
        if not occurrence.takes_place:
            continue
        if meeting is None:
            meeting = occurrence
        if now < occurrence.deadline:
            return meeting, occurrence
    return meeting, None
