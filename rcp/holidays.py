"""Public holidays of an RCP's territory, from the `holidays` library.

An RCP follows the holidays of the territory of its organising centre:
mainland France, Alsace-Moselle (Good Friday and 26 December), or an overseas
department (each with its own abolition-of-slavery day). The library knows
them by subdivision; the names come in French, written here with the
typographic apostrophe.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_lib

# Department code -> the library's subdivision ("" for the mainland calendar).
_SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}


def territory(department_code: str | None) -> str:
    """The holiday calendar of a department: "" (mainland), "57", "6AE", "971"..."""
    return _SUBDIVISIONS.get(department_code or "", "")


@lru_cache(maxsize=256)
def _year(subdivision: str, year: int) -> dict[date, str]:
    calendar = holidays_lib.France(subdiv=subdivision or None, years=year, language="fr")
    return {day: name.replace("'", "’") for day, name in calendar.items()}


def holiday_name(day: date, subdivision: str) -> str | None:
    """The French name of the public holiday on that day, or None."""
    return _year(subdivision, day.year).get(day)


def is_working_day(day: date, subdivision: str) -> bool:
    return day.weekday() < 5 and holiday_name(day, subdivision) is None


# The same few days for every RCP of a calendar (a month, a territory).
@lru_cache(maxsize=4096)
def previous_working_day(day: date, subdivision: str) -> date:
    """The day itself if it is a working day, else the last one before it."""
    while not is_working_day(day, subdivision):
        day -= timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def between(subdivision: str, first: date, last: date) -> tuple[date, ...]:
    """The public holidays from `first` to `last` included, in order."""
    return tuple(
        sorted(
            day
            for year in range(first.year, last.year + 1)
            for day in _year(subdivision, year)
            if first <= day <= last
        )
    )
