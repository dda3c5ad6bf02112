"""An RCP's times in its own zone, and its recurrence rule, written in French.

Times are always shown in the RCP's own time zone ("mardi 24 novembre 2026 à
14 h 00"), with the zone named when it is not Paris time and the Paris time
beside it, because most participants join by video from mainland France.
Plain dates and times come from core.dates.
"""

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.dates import day_name, format_date, format_time, month_name

from .recurrence import Rule

PARIS = "Europe/Paris"
PARIS_ZONE = ZoneInfo(PARIS)

# IANA zones an RCP of the network may use, with the name a reader knows.
ZONE_NAMES = {
    "Europe/Paris": "heure de Paris",
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de la Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
}
TIMEZONE_CHOICES = [
    ("Europe/Paris", "Europe/Paris — métropole et Corse"),
    ("America/Guadeloupe", "America/Guadeloupe — Guadeloupe"),
    ("America/Martinique", "America/Martinique — Martinique"),
    ("America/Cayenne", "America/Cayenne — Guyane"),
    ("Indian/Reunion", "Indian/Reunion — La Réunion"),
    ("Indian/Mayotte", "Indian/Mayotte — Mayotte"),
]

DAY_PLURALS = ("lundis", "mardis", "mercredis", "jeudis", "vendredis", "samedis", "dimanches")
ORDINALS = {1: "1er", 2: "2e", 3: "3e", 4: "4e", 5: "5e", -1: "dernier", -2: "avant-dernier"}


def zone_name(key: str) -> str:
    return ZONE_NAMES.get(key, key)


def format_datetime(value: datetime, *, year: bool = True) -> str:
    """An aware datetime in its own zone: "mardi 24 novembre 2026 à 14 h 00",
    plus "(heure de La Réunion ; 11 h 00 à Paris)" outside Paris time."""
    text = f"{format_date(value, year=year)} à {format_time(value)}"
    return text + zone_suffix(value)


def zone_suffix(value: datetime) -> str:
    """ " (heure de La Réunion ; 11 h 00 à Paris)", or "" in Paris time."""
    key = getattr(value.tzinfo, "key", PARIS)
    if key == PARIS:
        return ""
    in_paris = value.astimezone(PARIS_ZONE)
    paris = format_time(in_paris)
    if in_paris.date() != value.date():
        paris = f"{day_name(in_paris.weekday())} {format_time(in_paris)}"
    return f" ({zone_name(key)}\u00a0; {paris} à Paris)"


def format_local(value: datetime, *, year: bool = True) -> str:
    """ "mardi 24 novembre 2026 à 14 h 00", in the value's own zone, unnamed
    (for a table whose caption names the zone once)."""
    return f"{format_date(value, year=year)} à {format_time(value)}"


def _hours(delta) -> str:
    hours, rest = divmod(abs(int(delta.total_seconds())) // 60, 60)
    return f"{hours}\u00a0h\u00a0{rest:02d}" if rest else f"{hours}\u00a0h"


def paris_difference(values: Iterable[datetime]) -> str:
    """How Paris time differs from these times, said once for a table:
    "À Paris, il est 3 h de moins." or, across a change of Paris time,
    "À Paris, il est 4 h de moins, puis 3 h de moins à partir du 29 mars 2027."
    Empty for Paris times."""
    runs: list[tuple[object, datetime]] = []
    for value in values:
        if getattr(value.tzinfo, "key", PARIS) == PARIS:
            continue
        delta = value.utcoffset() - value.astimezone(PARIS_ZONE).utcoffset()
        if not runs or runs[-1][0] != delta:
            runs.append((delta, value))
    parts = []
    for delta, since in runs:
        if not delta:
            text = "la même heure"
        else:
            text = f"{_hours(delta)} de {'moins' if delta.total_seconds() > 0 else 'plus'}"
        if parts:
            text += f" à partir du {format_date(since, weekday=False)}"
        parts.append(text)
    if not parts:
        return ""
    return "À Paris, il est " + ", puis ".join(parts) + "."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def describe_rule(rule: Rule, first_date: date) -> str | None:
    """The rule in plain French ("un mardi sur deux"), or None when it has no
    short description (the page then lists the dates)."""
    if rule.bysetpos or rule.bymonthday and rule.byday:
        return None
    if rule.freq == "WEEKLY":
        weekdays = list(rule.weekdays) or [first_date.weekday()]
        if rule.interval == 1:
            text = "chaque " + " et chaque ".join(day_name(wd) for wd in weekdays)
        elif rule.interval == 2:
            text = _join([f"un {day_name(wd)}" for wd in weekdays]) + " sur deux"
        else:
            text = (
                "le "
                + _join([day_name(wd) for wd in weekdays])
                + f", toutes les {rule.interval} semaines"
            )
    elif rule.byday:
        ordinals = sorted({n for n, _wd in rule.byday}, key=lambda n: (n < 0, n))
        weekdays = sorted({wd for _n, wd in rule.byday})
        if any(n == 0 for n in ordinals):
            text = "tous les " + " et tous les ".join(DAY_PLURALS[wd] for wd in weekdays)
        elif len(weekdays) == 1 and all(n in ORDINALS for n in ordinals):
            words = " et le ".join(ORDINALS[n] for n in ordinals)
            text = f"le {words} {day_name(weekdays[0])} du mois"
        elif all(n in ORDINALS for n, _wd in rule.byday):
            text = (
                "le "
                + " et le ".join(
                    f"{ORDINALS[n]} {day_name(wd)}"
                    for n, wd in sorted(rule.byday, key=lambda item: (item[0] < 0, item))
                )
                + " du mois"
            )
        else:
            return None
        if rule.interval > 1:
            text += f", tous les {rule.interval} mois"
    else:
        days = rule.bymonthday or (first_date.day,)
        if any(d < 0 for d in days):
            return None
        text = "le " + _join(["1er" if d == 1 else str(d) for d in sorted(days)]) + " du mois"
        if rule.interval > 1:
            text += f", tous les {rule.interval} mois"
    if rule.bymonth:
        missing = [m for m in range(1, 13) if m not in rule.bymonth]
        if missing and len(missing) <= 4:
            text += ", sauf en " + _join([month_name(m) for m in missing])
        elif missing:
            text += ", en " + _join([month_name(m) for m in rule.bymonth])
    if rule.until is not None:
        text += f", jusqu’au {format_date(rule.until, weekday=False)}"
    if rule.count is not None:
        text += f" ({rule.count} séances)"
    return text
