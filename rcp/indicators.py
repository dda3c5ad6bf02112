"""RCP activity indicators, as the regional networks publish them.

For each period (half-month "quinzaine", month or year) of a perimeter (the
network, an axis, a region, one RCP): meetings held, mean files discussed per
meeting, first presentations, mean doctors present; the same dates one year
before, the change in %, and an alert when the files discussed fell by more
than a threshold (20 % by default), as the networks did in spring 2020.

The period in progress is counted up to yesterday and compared with the same
dates a year before, so a half-finished month never raises a false alert.
All figures come from one aggregate query grouped by day.
"""

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum

from core.dates import format_date, format_month

from . import specialties
from .models import Rcp

PERIOD_COUNTS = {"quinzaine": 24, "mois": 12, "annee": 3}
PERIOD_NAMES = {"quinzaine": "quinzaine", "mois": "mois", "annee": "année"}


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # included
    label: str
    in_progress: bool = False

    @property
    def year_before(self) -> tuple[date, date]:
        return shift_year(self.start), shift_year(self.end)


@dataclass(slots=True)
class Figures:
    meetings: int = 0
    files: int = 0
    first: int = 0
    doctors: int = 0  # total over the meetings, for the mean
    with_specialties: int = 0  # meetings whose specialties present were recorded
    quorum: int = 0  # of which, meetings that met the quorum rule
    demo: int = 0  # meetings recorded as demonstration data

    @property
    def mean_files(self) -> float | None:
        return self.files / self.meetings if self.meetings else None

    @property
    def mean_doctors(self) -> float | None:
        return self.doctors / self.meetings if self.meetings else None


def change(current: float | None, previous: float | None) -> float | None:
    """The change in % from previous to current; None when there is nothing to compare."""
    if current is None or not previous:
        return None
    return (current - previous) / previous * 100


@dataclass(slots=True)
class Row:
    period: Period
    current: Figures
    previous: Figures
    threshold: int
    changes: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in ("meetings", "files", "mean_files", "first", "mean_doctors"):
            self.changes[name] = change(getattr(self.current, name), getattr(self.previous, name))

    @property
    def alert(self) -> bool:
        drop = self.changes["files"]
        return drop is not None and drop < -self.threshold


def shift_year(day: date, years: int = -1) -> date:
    """The same date `years` later (29 February becomes the 28th)."""
    return day + relativedelta(years=years)


def _month_end(day: date) -> date:
    return day + relativedelta(day=31)  # the day is capped at the month's last


def _period_containing(kind: str, day: date) -> tuple[date, date, str]:
    if kind == "annee":
        return date(day.year, 1, 1), date(day.year, 12, 31), str(day.year)
    month = format_month(day.year, day.month)
    if kind == "mois":
        return date(day.year, day.month, 1), _month_end(day), month
    of_month = f"d’{month}" if month[0] in "aeiou" else f"de {month}"
    if day.day <= 15:
        return (
            date(day.year, day.month, 1),
            date(day.year, day.month, 15),
            f"1re quinzaine {of_month}",
        )
    return (
        date(day.year, day.month, 16),
        _month_end(day),
        f"2e quinzaine {of_month}",
    )


def periods(kind: str, today: date, count: int | None = None) -> list[Period]:
    """`count` complete periods before today, then the one in progress (up to
    yesterday) unless it has not started, oldest first."""
    if kind not in PERIOD_COUNTS:
        raise ValueError(kind)
    count = PERIOD_COUNTS[kind] if count is None else count
    yesterday = today - timedelta(days=1)
    start, end, label = _period_containing(kind, today)
    result = []
    if yesterday >= start:
        in_progress = end >= today
        result.append(
            Period(
                start,
                min(end, yesterday),
                f"{label} (jusqu’au {format_date(yesterday, weekday=False, year=False)})"
                if in_progress
                else label,
                in_progress,
            )
        )
    cursor = start - timedelta(days=1)
    for _ in range(count):
        start, end, label = _period_containing(kind, cursor)
        result.append(Period(start, end, label))
        cursor = start - timedelta(days=1)
    result.reverse()
    return result


def _totals(days: list[date], values: list[tuple], first: date, last: date) -> Figures:
    low = bisect.bisect_left(days, first)
    high = bisect.bisect_right(days, last)
    figures = Figures()
    for meetings, files, first_presentations, doctors, recorded, quorum, demo in values[low:high]:
        figures.meetings += meetings
        figures.files += files or 0
        figures.first += first_presentations or 0
        figures.doctors += doctors or 0
        figures.with_specialties += recorded
        figures.quorum += quorum
        figures.demo += demo
    return figures


def compute(activities, *, kind: str, today: date, threshold: int = 20, quorum=None) -> list[Row]:
    """Rows of indicators for these activity records (a queryset), oldest first.

    One query: the records of the whole span, summed per day by the database,
    with the meetings that met the quorum rule (a QuorumRule) among those whose
    specialties were recorded, and the demonstration records.
    """
    spans = periods(kind, today)
    if not spans:
        return []
    first_day = shift_year(spans[0].start)
    met = (
        specialties.quorum_condition(minimum=quorum.min_specialties, required=quorum.required)
        if quorum is not None
        else Q(pk__in=[])
    )
    by_day = (
        specialties.with_codes(activities.filter(date__gte=first_day, date__lte=spans[-1].end))
        .order_by()
        .values("date")
        .annotate(
            meetings=Count("id"),
            files=Sum("files_discussed"),
            first=Sum("first_presentations"),
            doctors=Sum("doctors_present"),
            recorded=Count("id", filter=~Q(specialties="")),
            quorum=Count("id", filter=met),
            # A subquery, not a join to every meeting's RCP.
            demo=Count(
                "id",
                filter=Q(source="demo") | Q(rcp__in=Rcp.objects.filter(is_demo=True).values("pk")),
            ),
        )
        .order_by("date")
    )
    days, values = [], []
    for row in by_day:
        days.append(row["date"])
        values.append(
            (
                row["meetings"],
                row["files"],
                row["first"],
                row["doctors"],
                row["recorded"],
                row["quorum"],
                row["demo"],
            )
        )
    rows = []
    for period in spans:
        before_start, before_end = period.year_before
        rows.append(
            Row(
                period=period,
                current=_totals(days, values, period.start, period.end),
                previous=_totals(days, values, before_start, before_end),
                threshold=threshold,
            )
        )
    return rows
