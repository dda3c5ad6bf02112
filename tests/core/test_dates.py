from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from core.dates import day_name, day_name_lazy, format_date, format_month, format_time, month_name

MONTHS = [
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
]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def test_a_date_is_written_with_its_weekday_and_year():
    assert format_date(date(2026, 11, 24)) == "mardi 24 novembre 2026"
    assert format_date(date(2026, 11, 24), weekday=False) == "24 novembre 2026"
    assert format_date(date(2026, 11, 24), year=False) == "mardi 24 novembre"


@pytest.mark.parametrize(
    "kwargs, shown",
    [
        ({}, "mardi 1er décembre 2026"),
        ({"weekday": False}, "1er décembre 2026"),
        ({"weekday": False, "year": False}, "1er décembre"),
    ],
)
def test_the_first_of_the_month_is_1er(kwargs, shown):
    assert format_date(date(2026, 12, 1), **kwargs) == shown


@pytest.mark.parametrize("day", [2, 11, 21, 31])
def test_other_days_are_plain_numbers(day):
    assert format_date(date(2026, 12, day), weekday=False) == f"{day} décembre 2026"


@pytest.mark.parametrize("month, name", list(enumerate(MONTHS, start=1)))
def test_every_month_name(month, name):
    assert month_name(month) == name
    assert format_month(2026, month) == f"{name} 2026"
    assert format_date(date(2026, month, 15), weekday=False) == f"15 {name} 2026"


@pytest.mark.parametrize("weekday, name", list(enumerate(DAYS)))
def test_every_weekday_name(weekday, name):
    day = date(2026, 11, 23 + weekday)  # Monday 23 November 2026 and the days after
    assert day.weekday() == weekday
    assert day_name(weekday) == name
    assert format_date(day).startswith(f"{name} {day.day} novembre")


@pytest.mark.parametrize(
    "value, shown", [(time(14, 0), "14\u00a0h\u00a000"), (time(9, 5), "9\u00a0h\u00a005")]
)
def test_times_are_written_the_french_way(value, shown):
    assert format_time(value) == shown


def test_an_aware_datetime_is_written_in_its_own_zone():
    # 1 December at 01:00 in La Réunion is still 30 November in Paris.
    value = datetime(2026, 12, 1, 1, 0, tzinfo=ZoneInfo("Indian/Reunion"))
    assert format_date(value) == "mardi 1er décembre 2026"
    assert format_time(value) == "1\u00a0h\u00a000"


def test_dates_are_french_whatever_the_active_language():
    with translation.override("en"):
        assert format_date(date(2026, 12, 1)) == "mardi 1er décembre 2026"
        assert format_month(2026, 11) == "novembre 2026"
        assert str(day_name_lazy(0)) == "lundi"


def test_weekday_choices_built_at_import_are_french_labels():
    from rcp.admin import WEEKDAY_CHOICES as ADMIN_CHOICES
    from rcp.forms import WEEKDAY_CHOICES as FILTER_CHOICES

    assert [str(label) for _code, label in ADMIN_CHOICES] == DAYS
    assert [str(label) for _code, label in FILTER_CHOICES[1:]] == [d.capitalize() for d in DAYS[:5]]
