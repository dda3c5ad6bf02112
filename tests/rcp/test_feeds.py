"""iCalendar feeds, parsed with an independent parser (the `icalendar` package)."""

import gzip
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from rcp.ics import escape_text, fold
from rcp.models import RcpException

from .factories import make_exception, make_rcp

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def frozen_now(time_machine):
    """The feeds cover 28 days back and 365 ahead of "now": pin it to 1 March 2026."""
    time_machine.move_to(NOW, tick=False)


def parse_feed(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar):
    return list(calendar.walk("VEVENT"))


def by_day(calendar, tz):
    return {e.decoded("DTSTART").astimezone(ZoneInfo(tz)).date(): e for e in events(calendar)}


def test_paris_meeting_is_at_14h_paris_time_in_march_and_november(client, frozen_now):
    rcp = make_rcp()
    calendar = parse_feed(client.get(reverse("rcp:feed_rcp", args=[rcp.slug])))
    found = by_day(calendar, "Europe/Paris")
    for day in (date(2026, 3, 24), date(2026, 3, 31), date(2026, 11, 3)):
        start = found[day].decoded("DTSTART")
        assert start.tzinfo is not None
        assert start.astimezone(ZoneInfo("Europe/Paris")).time() == time(14, 0)
        assert found[day]["DTSTART"].params["TZID"] == "Europe/Paris"
    # Before and after the change to summer time: 13:00 then 12:00 UTC.
    assert found[date(2026, 3, 24)].decoded("DTSTART").astimezone(UTC).hour == 13
    assert found[date(2026, 3, 31)].decoded("DTSTART").astimezone(UTC).hour == 12
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_reunion_meeting_is_at_14h_reunion_time(client, frozen_now):
    rcp = make_rcp(timezone="Indian/Reunion")
    calendar = parse_feed(client.get(reverse("rcp:feed_rcp", args=[rcp.slug])))
    starts = [e.decoded("DTSTART") for e in events(calendar)]
    assert {s.astimezone(ZoneInfo("Indian/Reunion")).time() for s in starts} == {time(14, 0)}
    assert {s.astimezone(UTC).time() for s in starts} == {time(10, 0)}
    assert "Indian/Reunion" in [tz["TZID"] for tz in calendar.walk("VTIMEZONE")]


def test_each_event_has_uid_times_summary_location_and_deadline(client, frozen_now):
    rcp = make_rcp(name="RCP de recours pancréas; test, virgule", secretariat_phone="0298223333")
    calendar = parse_feed(client.get(reverse("rcp:feed_rcp", args=[rcp.slug])))
    all_events = events(calendar)
    # 4 weeks back to 12 months ahead: about 57 Tuesdays.
    assert 55 <= len(all_events) <= 58
    uids = [str(e["UID"]) for e in all_events]
    assert len(set(uids)) == len(uids)
    event = by_day(calendar, "Europe/Paris")[date(2026, 11, 24)]
    assert str(event["UID"]) == f"rcp-{rcp.pk}-20261124@pan-together"
    assert str(event["SUMMARY"]) == "RCP de recours pancréas; test, virgule"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == (
        datetime(2026, 1, 1, 16) - datetime(2026, 1, 1, 14)
    )
    assert str(event["LOCATION"]) == "Visioconférence"
    description = str(event["DESCRIPTION"])
    # Two days before Tuesday is a Sunday: the deadline moves back to Friday.
    assert "Date limite d’envoi des dossiers : vendredi 20 novembre 2026 à 12 h 00." in description
    assert f"http://testserver/rcp/{rcp.slug}/" in description
    assert str(event["URL"]) == f"http://testserver/rcp/{rcp.slug}/"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_uids_are_stable_between_two_fetches(client, frozen_now):
    rcp = make_rcp()
    url = reverse("rcp:feed_rcp", args=[rcp.slug])
    first = [str(e["UID"]) for e in events(parse_feed(client.get(url)))]
    second = [str(e["UID"]) for e in events(parse_feed(client.get(url)))]
    assert first == second


def test_cancelled_and_moved_meetings(client, frozen_now):
    rcp = make_rcp()
    make_exception(rcp, date(2026, 4, 7), note="Congrès")
    make_exception(
        rcp,
        date(2026, 4, 14),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 4, 16),
        new_start_time=time(9, 0),
    )
    calendar = parse_feed(client.get(reverse("rcp:feed_rcp", args=[rcp.slug])))
    found = by_day(calendar, "Europe/Paris")
    cancelled = found[date(2026, 4, 7)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Annulée : ")
    assert "Congrès" in str(cancelled["DESCRIPTION"])
    assert date(2026, 4, 14) not in found
    moved = found[date(2026, 4, 16)]
    assert moved.decoded("DTSTART").astimezone(ZoneInfo("Europe/Paris")).time() == time(9, 0)
    assert str(moved["UID"]) == f"rcp-{rcp.pk}-20260414@pan-together"
    assert "Séance déplacée (prévue initialement le mardi 14 avril 2026 à 14 h 00)" in str(
        moved["DESCRIPTION"]
    )
    assert int(moved["SEQUENCE"]) == 1


def test_private_video_link_stays_out_of_the_feed_and_public_one_is_shown(client, frozen_now):
    private = make_rcp(video_url="https://visio.example.org/secret")
    public = make_rcp(video_url="https://visio.example.org/ouvert", video_url_is_public=True)
    body = client.get(reverse("rcp:feed_all")).content.decode()
    assert "visio.example.org/secret" not in body
    assert "visio.example.org/ouvert" in body
    assert private.name in body and public.name in body


def test_feed_lines_are_crlf_and_folded_at_75_octets(client, frozen_now):
    make_rcp(name="RCP " + "très longue œsophage " * 8)
    body = client.get(reverse("rcp:feed_all")).content
    lines = body.split(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    body.decode("utf-8")  # folding never splits a character


def test_fold_and_escape():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 80


def test_axis_centre_and_filtered_feeds(client, axes, frozen_now):
    pancreas = make_rcp(axes=[axes["pancreas"]])
    liver = make_rcp(axes=[axes["foie-voies-biliaires"]])
    participant = liver.organiser
    pancreas.participants.add(participant)

    def names(url):
        return {str(e["SUMMARY"]) for e in events(parse_feed(client.get(url)))}

    assert names(reverse("rcp:feed_axis", args=["pancreas"])) == {pancreas.name}
    assert names(reverse("rcp:feed_centre", args=[participant.slug])) == {
        pancreas.name,
        liver.name,
    }
    assert names(reverse("rcp:feed_all") + "?axe=foie-voies-biliaires") == {liver.name}
    assert names(reverse("rcp:feed_all")) == {pancreas.name, liver.name}


def test_unpublished_rcp_has_no_feed(client, frozen_now):
    rcp = make_rcp(is_published=False)
    assert client.get(reverse("rcp:feed_rcp", args=[rcp.slug])).status_code == 404
    assert rcp.name not in client.get(reverse("rcp:feed_all")).content.decode()


@pytest.mark.parametrize(
    "query",
    ["axe=%00", "axe=" + "x" * 10000, "jour=XX", "portee=1", "centre=../../etc", "mode[]=1"],
)
def test_hostile_feed_parameters_answer_400_or_a_feed(client, query, frozen_now):
    response = client.get(reverse("rcp:feed_all") + "?" + query)
    assert response.status_code in (200, 400)


def test_unknown_axis_or_centre_feed_is_404(client):
    assert client.get("/rcp/axe/inconnu.ics").status_code == 404
    assert client.get("/rcp/centre/inconnu.ics").status_code == 404
    assert client.get("/rcp/inconnue.ics").status_code == 404


def test_unchanged_feed_answers_304_and_a_change_renews_it_when_the_entry_expires(
    client, frozen_now, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    rcp = make_rcp()
    url = reverse("rcp:feed_rcp", args=[rcp.slug])
    with time_machine.travel(NOW, tick=False) as clock:
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        rcp.name = "RCP renommée"
        rcp.save()
        clock.shift(timedelta(seconds=61))
        renewed = client.get(url, headers={"If-None-Match": etag})
    assert renewed.status_code == 200
    assert renewed["ETag"] != etag
    assert "RCP renommée" in renewed.content.decode()


def test_feed_is_sent_gzip_compressed_to_clients_that_accept_it(client, frozen_now, settings):
    settings.PAGE_CACHE_SECONDS = 60
    rcp = make_rcp()
    url = reverse("rcp:feed_rcp", args=[rcp.slug])
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get(url, headers={"Accept-Encoding": "br, gzip;q=0.8"})
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused
    assert refused.content == plain.content
    assert plain["ETag"].startswith('W/"')


def test_a_feed_is_computed_once_per_cache_period(
    client, frozen_now, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    rcp = make_rcp(name="RCP avant")
    url = reverse("rcp:feed_all")
    with time_machine.travel(NOW, tick=False) as clock:
        assert "RCP avant" in client.get(url).content.decode()
        with django_assert_num_queries(0):
            again = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert "RCP avant" in gzip.decompress(again.content).decode()
        rcp.name = "RCP après"
        rcp.save()
        clock.shift(timedelta(seconds=61))
        assert "RCP après" in client.get(url).content.decode()


def test_no_feed_is_kept_when_the_page_cache_is_off(client, frozen_now, settings):
    settings.PAGE_CACHE_SECONDS = 0
    rcp = make_rcp(name="RCP avant")
    url = reverse("rcp:feed_all")
    client.get(url)
    type(rcp).objects.filter(pk=rcp.pk).update(name="RCP après")
    assert "RCP après" in client.get(url).content.decode()
