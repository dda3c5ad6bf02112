"""The RRULE subset: patterns, refusals with clear messages, bounded expansion,
and agreement with python-dateutil on generated rules."""

import time
from datetime import date, datetime

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from rcp.recurrence import (
    MAX_SPAN_DAYS,
    RuleError,
    dates_between,
    first_after,
    is_occurrence,
    parse,
)


def expand(text, first_date, first, last):
    return dates_between(parse(text), first_date, first, last)


def test_weekly_rule_gives_every_tuesday():
    days = expand("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), date(2026, 11, 1), date(2026, 11, 30))
    assert days == [date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 17), date(2026, 11, 24)]


def test_biweekly_rule_keeps_the_phase_of_the_first_date():
    # First meeting on 13 January 2026, then every 14 days: 3 and 17 November, not 10 and 24.
    days = expand(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", date(2026, 1, 13), date(2026, 11, 1), date(2026, 11, 30)
    )
    assert days == [date(2026, 11, 3), date(2026, 11, 17)]


def test_first_and_third_tuesday_of_the_month():
    days = expand(
        "FREQ=MONTHLY;BYDAY=1TU,3TU", date(2026, 1, 6), date(2026, 9, 1), date(2026, 12, 31)
    )
    assert days == [
        date(2026, 9, 1),
        date(2026, 9, 15),
        date(2026, 10, 6),
        date(2026, 10, 20),
        date(2026, 11, 3),
        date(2026, 11, 17),
        date(2026, 12, 1),
        date(2026, 12, 15),
    ]


def test_last_thursday_of_the_month_in_months_with_four_and_five_thursdays():
    days = expand(
        "FREQ=MONTHLY;BYDAY=-1TH", date(2026, 1, 29), date(2026, 10, 1), date(2026, 12, 31)
    )
    # October 2026 has five Thursdays (1, 8, 15, 22, 29), November four.
    assert days == [date(2026, 10, 29), date(2026, 11, 26), date(2026, 12, 31)]
    same = expand(
        "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1",
        date(2026, 1, 29),
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert same == days


def test_monthly_on_the_31st_skips_short_months():
    days = expand(
        "FREQ=MONTHLY;BYMONTHDAY=31", date(2026, 1, 31), date(2026, 1, 1), date(2026, 6, 30)
    )
    assert days == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31)]


def test_bymonth_leaves_out_august():
    days = expand(
        "FREQ=WEEKLY;BYDAY=MO;BYMONTH=1,2,3,4,5,6,7,9,10,11,12",
        date(2026, 1, 5),
        date(2026, 7, 20),
        date(2026, 9, 10),
    )
    assert days == [date(2026, 7, 20), date(2026, 7, 27), date(2026, 9, 7)]


def test_count_counts_from_the_first_date():
    rule = "FREQ=WEEKLY;BYDAY=TU;COUNT=3"
    days = expand(rule, date(2026, 1, 6), date(2026, 1, 1), date(2026, 12, 31))
    assert days == [date(2026, 1, 6), date(2026, 1, 13), date(2026, 1, 20)]
    assert expand(rule, date(2026, 1, 6), date(2026, 1, 14), date(2026, 12, 31)) == [
        date(2026, 1, 20)
    ]


def test_until_is_an_inclusive_date():
    days = expand(
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261124T235959Z",
        date(2026, 1, 6),
        date(2026, 11, 1),
        date(2026, 12, 31),
    )
    assert days[-1] == date(2026, 11, 24)


def test_nothing_before_the_first_date():
    days = expand("FREQ=WEEKLY;BYDAY=TU", date(2026, 11, 17), date(2026, 11, 1), date(2026, 11, 30))
    assert days == [date(2026, 11, 17), date(2026, 11, 24)]


def test_rule_that_never_matches_returns_at_once():
    # dateutil spends seconds on this one, iterating to the year 9999.
    started = time.perf_counter()
    days = expand(
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
        date(2026, 1, 1),
        date(2026, 1, 1),
        date(2028, 12, 31),
    )
    assert days == []
    assert (
        first_after(parse("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=10"), date(2026, 1, 1), date(2026, 1, 1))
        is None
    )
    # A bound far from dateutil's seconds, and from a loaded machine's noise.
    assert time.perf_counter() - started < 0.5


def test_expansion_window_is_bounded():
    with pytest.raises(ValueError):
        expand("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), date(2026, 1, 1), date(2040, 1, 1))
    assert MAX_SPAN_DAYS < 1500


def test_is_occurrence():
    rule = parse("FREQ=MONTHLY;BYDAY=-1TH")
    assert is_occurrence(rule, date(2026, 1, 29), date(2026, 11, 26))
    assert not is_occurrence(rule, date(2026, 1, 29), date(2026, 11, 19))


def test_rule_text_is_canonical_and_round_trips():
    rule = parse("rrule:freq=monthly; byday=1tu,3tu ;interval=1")
    assert str(rule) == "FREQ=MONTHLY;BYDAY=1TU,3TU"
    assert parse(str(rule)) == rule


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "Saisissez une règle"),
        ("FREQ=DAILY", "FREQ=WEEKLY (semaines) ou FREQ=MONTHLY"),
        ("FREQ=SECONDLY", "n’est pas acceptée"),
        ("BYDAY=TU", "doit commencer par FREQ"),
        ("FREQ=WEEKLY;BYHOUR=14", "« BYHOUR » n’est pas pris en charge"),
        ("FREQ=WEEKLY;BYDAY=XX", "n’est pas un jour valide"),
        ("FREQ=WEEKLY;BYDAY=1TU", "n’a de sens qu’avec FREQ=MONTHLY"),
        ("FREQ=MONTHLY;BYDAY=6TU", "le rang 6 n’existe pas"),
        ("FREQ=MONTHLY;BYDAY=TU,1TH", "ne mélangez pas"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL"),
        ("FREQ=WEEKLY;INTERVAL=2,3", "un seul nombre"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "COUNT et UNTIL"),
        ("FREQ=WEEKLY;UNTIL=20270230", "n’existe pas"),
        ("FREQ=WEEKLY;UNTIL=demain", "AAAAMMJJ"),
        ("FREQ=WEEKLY;FREQ=MONTHLY", "figure deux fois"),
        ("FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY ne s’emploie"),
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS demande BYDAY"),
        ("FREQ=WEEKLY;BYDAY=TU\x00", "caractères invalides"),
        ("FREQ=WEEKLY;" + "BYDAY=TU;" * 40, "dépasse"),
        ("n’importe quoi", "NOM=VALEUR"),
    ],
)
def test_bad_rules_are_refused_with_a_clear_message(text, fragment):
    with pytest.raises(RuleError) as error:
        parse(text)
    assert fragment in str(error.value)


WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def rules(draw):
    """Rules of the subset that match at least four times a year (dateutil, our
    reference, would iterate for seconds on a rule that never matches)."""
    parts = []
    if draw(st.booleans()):
        parts.append("FREQ=WEEKLY")
        parts.append(f"INTERVAL={draw(st.integers(1, 5))}")
        days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=0, max_size=3, unique=True))
        if days:
            parts.append("BYDAY=" + ",".join(days))
        if draw(st.booleans()):
            parts.append(f"WKST={draw(st.sampled_from(WEEKDAYS))}")
    else:
        parts.append("FREQ=MONTHLY")
        parts.append(f"INTERVAL={draw(st.integers(1, 3))}")
        kind = draw(st.sampled_from(["nth", "plain", "setpos", "monthday", "none"]))
        if kind == "nth":
            items = draw(
                st.lists(
                    st.tuples(st.sampled_from([1, 2, 3, 4, -1, -2]), st.sampled_from(WEEKDAYS)),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            )
            parts.append("BYDAY=" + ",".join(f"{n}{d}" for n, d in items))
        elif kind in ("plain", "setpos"):
            days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=2, unique=True))
            parts.append("BYDAY=" + ",".join(days))
            if kind == "setpos":
                positions = draw(
                    st.lists(
                        st.sampled_from([1, 2, 3, 4, -1, -2]), min_size=1, max_size=2, unique=True
                    )
                )
                parts.append("BYSETPOS=" + ",".join(map(str, positions)))
        elif kind == "monthday":
            days = draw(
                st.lists(
                    st.integers(1, 28) | st.integers(-28, -1), min_size=1, max_size=3, unique=True
                )
            )
            parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
    if draw(st.booleans()):
        months = draw(st.lists(st.integers(1, 12), min_size=6, max_size=12, unique=True))
        parts.append("BYMONTH=" + ",".join(map(str, sorted(months))))
    end = draw(st.sampled_from(["", "count", "until"]))
    if end == "count":
        parts.append(f"COUNT={draw(st.integers(1, 60))}")
    elif end == "until":
        until = draw(st.dates(date(2025, 6, 1), date(2028, 12, 31)))
        parts.append(f"UNTIL={until:%Y%m%d}")
    return ";".join(parts)


@settings(max_examples=300, deadline=None)
@given(
    text=rules(),
    first_date=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    first=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    span=st.integers(0, 400),
)
def test_expansion_agrees_with_dateutil(text, first_date, first, span):
    last = date.fromordinal(first.toordinal() + span)
    ours = dates_between(parse(text), first_date, first, last)
    # dateutil at midnight, so that a date UNTIL is inclusive on both sides.
    reference = rrulestr(text, dtstart=datetime.combine(first_date, datetime.min.time()))
    theirs = [
        d.date()
        for d in reference.between(
            datetime.combine(first, datetime.min.time()),
            datetime.combine(last, datetime.min.time()),
            inc=True,
        )
    ]
    assert ours == theirs
