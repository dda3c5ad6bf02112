"""Dates and times written in French, the same whatever the request's language.

"mardi 24 novembre 2026", "1er décembre", "14 h 00", "novembre 2026": Django's
French names and date formats (django.utils.dateformat under the French
translation), plus the "1er" that French writes for the first of the month.
"""

import functools
from datetime import date, datetime, time

from django.utils import dateformat, translation
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.functional import lazy


@functools.cache
def day_name(weekday: int) -> str:
    """ "lundi" for 0 … "dimanche" for 6, counted as date.weekday() does."""
    with translation.override("fr"):
        return str(WEEKDAYS[weekday])


@functools.cache
def month_name(month: int) -> str:
    """ "janvier" for 1 … "décembre" for 12."""
    with translation.override("fr"):
        return str(MONTHS[month])


# For labels built when a module is imported, before translations are ready.
day_name_lazy = lazy(day_name, str)


def format_time(value: time | datetime) -> str:
    """ "14 h 00", "9 h 30" (French typography, not Django's "14:00"), with no-break
    spaces: a line never breaks inside an hour."""
    return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"


def format_date(value: date, *, weekday: bool = True, year: bool = True) -> str:
    """ "mardi 24 novembre 2026", "1er décembre"; a datetime's date in its own zone."""
    day = value.date() if isinstance(value, datetime) else value
    return _date_text(day, weekday, year)


# Django takes some 50 µs to write a date (a switch of language, names looked
# up in the catalogue) against 2 µs for the tables this replaced; a month of the
# calendar writes 60 dates, of some 30 days: each text is computed once.
@functools.lru_cache(maxsize=4096)
def _date_text(day: date, weekday: bool, year: bool) -> str:
    number = r"1\e\r" if day.day == 1 else "j"  # "1er", escaped from the format
    parts = ["l", number, "F", "Y"] if weekday else [number, "F", "Y"]
    return _in_french(day, " ".join(parts if year else parts[:-1]))


@functools.lru_cache(maxsize=256)
def format_month(year: int, month: int) -> str:
    """ "novembre 2026"."""
    return _in_french(date(year, month, 1), "F Y")


def _in_french(value: date, format_string: str) -> str:
    with translation.override("fr"):
        return dateformat.format(value, format_string)
