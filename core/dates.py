"""Dates and times written in French, the same whatever the request's language.

"mardi 24 novembre 2026", "1er décembre", "14 h 00", "novembre 2026".
"""

from datetime import date, datetime, time

DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_time(value: time | datetime) -> str:
    """ "14 h 00", "9 h 30"."""
    return f"{value.hour} h {value.minute:02d}"


def format_date(value: date, *, weekday: bool = True, year: bool = True) -> str:
    """ "mardi 24 novembre 2026", "1er décembre"."""
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {MONTH_NAMES[value.month - 1]}"
    if year:
        text += f" {value.year}"
    if weekday:
        text = f"{DAY_NAMES[value.weekday()]} {text}"
    return text


def format_month(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"
