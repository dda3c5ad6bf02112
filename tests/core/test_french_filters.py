"""The French typography filters of templates: elision, no-break spaces, "1er"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from core.text import with_de


def render(source: str, **context) -> str:
    return Template("{% load french %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("Brest", "de Brest"),
        ("Ajaccio", "d’Ajaccio"),
        ("Angers", "d’Angers"),
        ("Yerres", "d’Yerres"),
        ("Évry", "d’Évry"),
        ("Orléans", "d’Orléans"),
        # h is left alone: mute ("d’Hyères") or aspirated ("de Haguenau").
        ("Haguenau", "de Haguenau"),
        ("Saint-Étienne", "de Saint-Étienne"),
    ],
)
def test_de_elides_before_a_vowel_only(city, expected):
    assert with_de(city) == expected
    assert render("les centres {{ city|de }}", city=city) == f"les centres {expected}"


def test_de_escapes_the_name():
    assert render("{{ city|de }}", city="Agen <b>") == "d’Agen &lt;b&gt;"


def test_typo_puts_no_break_spaces_in_staff_text():
    html = render("{{ text|typo }}", text="Présents : chirurgiens ; « RCP » ?")
    assert html == "Présents\u00a0: chirurgiens\u202f; «\u00a0RCP\u00a0»\u202f?"


def test_typo_still_escapes():
    assert render("{{ text|typo }}", text="a < b : oui") == "a &lt; b\u00a0: oui"


def test_french_date_writes_1er_for_the_first_of_the_month():
    assert render("{{ day|french_date }}", day=date(2026, 10, 1)) == "1er octobre 2026"
    assert render("{{ day|french_date }}", day=date(2026, 10, 2)) == "2 octobre 2026"


def test_french_date_reads_a_datetime_in_paris_time():
    # 23:30 UTC on 30 September is already 1 October in Paris.
    moment = datetime(2026, 9, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert render("{{ moment|french_date }}", moment=moment) == "1er octobre 2026"


def test_french_date_of_nothing_is_empty():
    assert render("{{ day|french_date }}", day=None) == ""
