"""The directory's RCP cards, written in Python (rcp/cards.py), are those of the
card template, to the byte, in every case the template distinguishes."""

import itertools
from datetime import datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string

from rcp.cards import card_html, demo_badge

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")


def _meeting(day, *, moved=False, zone=PARIS):
    return SimpleNamespace(
        start=datetime(2027, 1, day, 14, 0, tzinfo=zone),
        deadline=datetime(2027, 1, day - 2, 12, 0, tzinfo=zone),
        is_moved=moved,
    )


SESSIONS = [
    None,
    SimpleNamespace(meeting=_meeting(12), reachable=_meeting(12), closed=False),
    SimpleNamespace(meeting=_meeting(12, moved=True), reachable=None, closed=True),
    SimpleNamespace(meeting=_meeting(12), reachable=_meeting(19, moved=True), closed=True),
    SimpleNamespace(meeting=_meeting(5, zone=REUNION), reachable=_meeting(5), closed=False),
]


def _rcp(*, city, demo, rhythm, zone, axes):
    organiser = type("Organiser", (), {"city": city, "__str__": lambda self: "CHU <Brest>"})()
    return SimpleNamespace(
        name="RCP « pancréas » & <voies> biliaires",
        slug="rcp-pancreas",
        get_absolute_url=lambda: "/rcp/rcp-pancreas/",
        scope="regional",
        get_scope_display=lambda: "RCP régionale",
        mode="video",
        get_mode_display=lambda: "Visioconférence",
        organiser=organiser,
        axes=SimpleNamespace(
            all=lambda: [SimpleNamespace(colour="#123456", short_name="Pancréas")] * axes
        ),
        schedule_text=rhythm,
        start_time=time(14, 0),
        timezone=zone,
        zone_label="heure de La Réunion",
        is_demo=demo,
    )


def test_python_cards_are_the_templates_cards():
    badge = demo_badge()
    cases = itertools.product(
        SESSIONS,
        ("Brest", ""),
        (True, False),
        ("un mardi sur deux", None),
        ("Europe/Paris", "Indian/Reunion"),
        (0, 2),
        (None, 0.4, 1234.6),
        (True, False),
    )
    for session, city, demo, rhythm, zone, axes, distance, pick in cases:
        rcp = _rcp(city=city, demo=demo, rhythm=rhythm, zone=zone, axes=axes)
        expected = render_to_string(
            "rcp/includes/rcp_card.html",
            {"rcp": rcp, "next": session, "distance": distance, "level": 3, "pick": pick},
        )
        written = card_html(rcp, session, distance=distance, level=3, pick=pick, demo_badge=badge)
        assert written == expected
