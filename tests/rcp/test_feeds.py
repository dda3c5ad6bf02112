"""iCalendar feeds, read by two independent parsers that trust the feed's own
VTIMEZONE (ical.js and vobject, see parsers.py), against rcp.schedule."""

import gzip
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from rcp import ics
from rcp.models import Rcp, RcpException
from rcp.schedule import occurrences
from tests import factories

from .factories import make_exception, make_rcp
from .parsers import icaljs, vobject_instances

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 1, 10, 0, tzinfo=PARIS)
FIRST, LAST = ics.feed_window(NOW.date())


@pytest.fixture
def frozen_now(time_machine):
    """The feeds cover two weeks back and a year ahead of "now": 1 March 2026,
    so the year holds both changes of Paris time (29 March, 25 October)."""
    time_machine.move_to(NOW, tick=False)


def organiser(code: str):
    return factories.make_centre(department_code=code, postcode=f"{code}000"[:5])


@pytest.fixture
def network(frozen_now, axes):
    """RCPs in every zone, with cancelled, moved and holiday meetings,
    deadlines moved by holidays, COUNT and UNTIL rules and an "every other week"."""
    pancreas, liver = axes["pancreas"], axes["foie-voies-biliaires"]
    rcps = {}
    rcps["paris"] = make_rcp(name="RCP Paris mardi", axes=[pancreas])
    make_exception(rcps["paris"], date(2026, 4, 7), note="Congrès")
    # Moved across the change to summer time, to another day and hour.
    make_exception(
        rcps["paris"],
        date(2026, 3, 24),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 3, 31),
        new_start_time=time(9, 0),
        note="Salle indisponible",
    )
    # Moved from before the window into it.
    make_exception(
        rcps["paris"],
        date(2026, 2, 10),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 2, 19),
    )
    rcps["biweekly"] = make_rcp(
        name="RCP un lundi sur deux",
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        first_date=date(2025, 11, 17),
        start_time=time(17, 30),
        deadline_days_before=3,
        axes=[liver],
    )
    rcps["count"] = make_rcp(
        name="RCP dernier jeudi, dix séances",
        rrule="FREQ=MONTHLY;BYDAY=-1TH;COUNT=10",
        first_date=date(2025, 10, 30),
        start_time=time(8, 0),
        deadline_days_before=7,
        deadline_time=time(16, 0),
    )
    rcps["until"] = make_rcp(
        name="RCP mercredi jusqu’en octobre",
        rrule="FREQ=WEEKLY;BYDAY=WE;UNTIL=20261028",
        first_date=date(2026, 1, 7),
        start_time=time(12, 30),
    )
    rcps["two_days"] = make_rcp(
        name="RCP lundi et jeudi",
        rrule="FREQ=WEEKLY;BYDAY=MO,TH",
        first_date=date(2026, 1, 5),
        start_time=time(9, 0),
        deadline_days_before=1,
        deadline_time=time(16, 0),
        meets_on_holidays=True,
    )
    rcps["moselle"] = make_rcp(
        name="RCP Moselle vendredi",
        rrule="FREQ=WEEKLY;BYDAY=FR",
        first_date=date(2026, 1, 2),
        organiser=organiser("57"),
    )
    zones = {
        "reunion": ("974", "Indian/Reunion", "FREQ=WEEKLY;BYDAY=TH", date(2026, 1, 1)),
        "martinique": (
            "972",
            "America/Martinique",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            date(2026, 1, 13),
        ),
        "guadeloupe": ("971", "America/Guadeloupe", "FREQ=MONTHLY;BYDAY=1WE,3WE", date(2026, 1, 7)),
        "guyane": ("973", "America/Cayenne", "FREQ=WEEKLY;BYDAY=FR", date(2026, 1, 2)),
        "mayotte": ("976", "Indian/Mayotte", "FREQ=WEEKLY;BYDAY=WE", date(2026, 1, 7)),
    }
    for key, (code, zone, rule, first) in zones.items():
        rcps[key] = make_rcp(
            name=f"RCP {key}",
            organiser=organiser(code),
            timezone=zone,
            rrule=rule,
            first_date=first,
            axes=[liver],
        )
    rcps["reunion"].participants.add(rcps["paris"].organiser)
    make_exception(rcps["reunion"], date(2026, 5, 21), note="Pont")
    make_exception(
        rcps["guyane"],
        date(2026, 11, 27),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 11, 26),
    )
    return rcps


def expected(rcps, *, deadlines=False):
    """{(uid, UTC start): [meetings]} of the meetings rcp.schedule says take place
    in the window (two meetings may share a deadline)."""
    found = {}
    for rcp in rcps:
        for o in occurrences(rcp, FIRST, LAST):
            if not o.takes_place:
                continue
            uid = f"rcp-{rcp.pk}{'-echeances' if deadlines else ''}@pan-together"
            start = o.deadline if deadlines else o.start
            found.setdefault((uid, start.astimezone(UTC)), []).append(o)
    if not deadlines:
        assert all(len(x) == 1 for x in found.values())
        return {key: x[0] for key, x in found.items()}
    return found


def in_window(instances, rcps_by_uid, *, once=True):
    """The instances whose local start date lies in the feed's window."""
    kept = {}
    for x in instances:
        rcp = rcps_by_uid[x.uid]
        if FIRST <= x.start.astimezone(rcp.zone).date() <= LAST:
            assert not once or (x.uid, x.start) not in kept, f"twice: {x}"
            kept.setdefault((x.uid, x.start), []).append(x)
    return {key: found[0] for key, found in kept.items()} if once else kept


def by_uid(rcps, *, deadlines=False):
    suffix = "-echeances" if deadlines else ""
    return {f"rcp-{r.pk}{suffix}@pan-together": r for r in rcps}


def read_with_both(bodies):
    first = datetime.combine(FIRST - timedelta(days=2), time(0), UTC)
    last = datetime.combine(LAST + timedelta(days=2), time(0), UTC)
    from_js = icaljs(bodies, first, last)
    return [
        (js, vobject_instances(body, first, last)) for js, body in zip(from_js, bodies, strict=True)
    ]


def check_meetings(instances, rcps):
    """Every meeting at the right instant, lasting as long, stating its exact
    deadline (and a reminder at it when asked): nothing more, nothing less."""
    want = expected(rcps)
    got = in_window(instances, by_uid(rcps))
    assert not set(got) - set(want), sorted(set(got) - set(want))[:5]
    assert not set(want) - set(got), sorted(set(want) - set(got))[:5]
    for key, x in got.items():
        o = want[key]
        assert x.end - x.start == o.end - o.start
        assert x.summary.startswith(o.rcp.name)
        offset = (o.start.date() - o.deadline.date()).days
        usual = "Dossiers avant " + ics.usual_deadline_text(o.rcp, offset, o.start.weekday())
        exact = "Dossiers avant le " + ics._when(o.deadline)
        assert usual in x.description or exact in x.description, (x, o.deadline)
        if o.is_moved:
            assert "Séance déplacée du " + ics._when(o.original_start) in x.description


FEEDS = ["rcp", "axis", "centre", "network", "selection"]


def feed_urls(rcps, axes, kind="feed"):
    paris, reunion = rcps["paris"], rcps["reunion"]
    return {
        "rcp": ([reunion], reverse(f"rcp:{kind}_rcp", args=[reunion.slug])),
        "axis": (
            [r for r in rcps.values() if r.axes.filter(slug="pancreas").exists()],
            reverse(f"rcp:{kind}_axis", args=["pancreas"]),
        ),
        "centre": ([paris, reunion], reverse(f"rcp:{kind}_centre", args=[paris.organiser.slug])),
        "network": (list(rcps.values()), reverse(f"rcp:{kind}_all")),
        "selection": (
            [paris, rcps["guyane"], rcps["count"]],
            reverse(f"rcp:{kind}_all") + f"?rcp={paris.slug}&rcp={rcps['guyane'].slug}"
            f"&rcp={rcps['count'].slug}",
        ),
    }


def test_every_meeting_of_every_feed_reads_at_the_right_instant_in_two_parsers(
    client, network, axes
):
    feeds = feed_urls(network, axes)
    bodies = [client.get(url).content for _rcps, url in feeds.values()]
    for (name, (rcps, _url)), (from_js, from_vobject) in zip(
        feeds.items(), read_with_both(bodies), strict=True
    ):
        assert from_js, name
        check_meetings(from_js, rcps)
        check_meetings(from_vobject, rcps)


def test_network_feed_has_what_the_schedule_has_including_holidays_and_dst(client, network):
    """The cases the fixture is there for are really in the feed."""
    paris = network["paris"]
    meetings = {
        o.original_date: o for o in occurrences(paris, FIRST, LAST) if o.status != "scheduled"
    }
    assert meetings[date(2026, 7, 14)].is_holiday
    assert meetings[date(2026, 4, 7)].is_cancelled
    assert meetings[date(2026, 3, 24)].is_moved
    body = client.get(reverse("rcp:feed_rcp", args=[paris.slug])).content
    ((from_js, _vobject),) = read_with_both([body])
    starts = {x.start for x in from_js}
    # 14:00 in Paris is 13:00 UTC in winter and 12:00 in summer.
    assert datetime(2026, 3, 17, 13, tzinfo=UTC) in starts
    assert datetime(2026, 4, 14, 12, tzinfo=UTC) in starts
    assert datetime(2026, 10, 27, 13, tzinfo=UTC) in starts
    assert datetime(2026, 3, 31, 7, tzinfo=UTC) in starts  # moved, 9:00 summer time
    assert datetime(2026, 7, 14, 12, tzinfo=UTC) not in starts  # Bastille Day
    assert datetime(2026, 4, 7, 12, tzinfo=UTC) not in starts  # cancelled
    # 1 May 2026 is a Friday: the deadline of Tuesday 5 May moves back to Thursday.
    may = next(x for x in from_js if x.start == datetime(2026, 5, 5, 12, tzinfo=UTC))
    assert "Dossiers avant le jeudi 30 avril 2026 à 12\u00a0h\u00a000." in may.description


def test_deadline_feeds_read_at_each_deadline_in_two_parsers(client, network, axes):
    feeds = feed_urls(network, axes, kind="deadlines")
    bodies = [client.get(url).content for _rcps, url in feeds.values()]
    for (name, (rcps, _url)), parsed in zip(feeds.items(), read_with_both(bodies), strict=True):
        want = expected(rcps, deadlines=True)
        for instances in parsed:
            got = in_window(instances, by_uid(rcps, deadlines=True), once=False)
            # A deadline may fall before the window while its meeting is in it,
            # and in it for a meeting after it: compare those far from its ends.
            end = LAST - timedelta(days=40)
            got = {k: x for k, x in got.items() if k[1].date() <= end}
            missing = {k for k in want if k not in got and FIRST <= k[1].date() <= end}
            assert not missing, (name, sorted(missing)[:3])
            assert set(got) <= set(want), (name, sorted(set(got) - set(want))[:3])
            assert len(got) > 10
            for key, found in got.items():
                assert len(found) == len(want[key]), (name, key)
                rcp = want[key][0].rcp
                assert all(
                    x.summary.startswith("Date limite des dossiers — " + rcp.name) for x in found
                )


@pytest.mark.parametrize("reminder,lead", [("1h", timedelta(hours=1)), ("2j", timedelta(days=2))])
def test_reminder_fires_before_each_deadline(client, network, reminder, lead):
    rcps = list(network.values())
    meetings = client.get(reverse("rcp:feed_all") + f"?rappel={reminder}").content
    deadlines = client.get(reverse("rcp:deadlines_all") + f"?rappel={reminder}").content
    (js, vo), (js_deadlines, vo_deadlines) = read_with_both([meetings, deadlines])
    want = expected(rcps)
    for instances in (js, vo):
        got = in_window(instances, by_uid(rcps))
        for key, x in got.items():
            deadline = want[key].deadline
            # Days are nominal: "two days before" is at the same wall-clock time.
            if lead.days:
                target = (deadline.replace(tzinfo=None) - lead).replace(tzinfo=deadline.tzinfo)
            else:
                target = deadline - lead
            assert x.alarm == target.astimezone(UTC), (x, deadline)
    for instances in (js_deadlines, vo_deadlines):
        for x in instances:
            assert x.alarm is not None
    assert b"BEGIN:VALARM" not in client.get(reverse("rcp:feed_all")).content


def test_a_feed_trusts_its_own_vtimezone_in_both_parsers(client, network):
    """The parsers really read the feed's VTIMEZONE: shift Paris by an hour in
    it, and both put the meetings an hour earlier."""
    paris = network["paris"]
    body = client.get(reverse("rcp:feed_rcp", args=[paris.slug])).content
    shifted = body.replace(b"TZOFFSETTO:+0200", b"TZOFFSETTO:+0300")
    assert shifted != body
    (js, vo), (js_shifted, vo_shifted) = read_with_both([body, shifted])
    summer = datetime(2026, 6, 16, 12, tzinfo=UTC)
    for good, bad in ((js, js_shifted), (vo, vo_shifted)):
        assert summer in {x.start for x in good}
        assert summer - timedelta(hours=1) in {x.start for x in bad}


def test_one_event_per_rcp_with_rrule_exdate_and_overrides(client, network):
    paris = network["paris"]
    calendar = icalendar.Calendar.from_ical(
        client.get(reverse("rcp:feed_rcp", args=[paris.slug])).content
    )
    events = list(calendar.walk("VEVENT"))
    masters = [e for e in events if "RECURRENCE-ID" not in e]
    assert len(masters) == 1
    master = masters[0]
    assert str(master["UID"]) == f"rcp-{paris.pk}@pan-together"
    assert all(str(e["UID"]) == str(master["UID"]) for e in events)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    # DTSTART is a real meeting in the RCP's zone: here the first of the series.
    assert master["DTSTART"].params["TZID"] == "Europe/Paris"
    assert master.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 2, 10, 14)
    exdates = {d.dt.date() for line in [master["EXDATE"]] for d in line.dts}
    assert {date(2026, 4, 7), date(2026, 7, 14), date(2026, 11, 10)} - exdates == {
        date(2026, 11, 10)
    }
    overrides = {e.decoded("RECURRENCE-ID").date(): e for e in events if "RECURRENCE-ID" in e}
    assert date(2026, 3, 24) in overrides and date(2026, 5, 5) in overrides
    assert overrides[date(2026, 3, 24)].decoded("DTSTART").replace(tzinfo=None) == datetime(
        2026, 3, 31, 9
    )


def test_interval_phase_count_and_until_are_kept(client, network):
    def master(rcp):
        body = client.get(reverse("rcp:feed_rcp", args=[rcp.slug])).content
        events = icalendar.Calendar.from_ical(body).walk("VEVENT")
        return next(e for e in events if "RECURRENCE-ID" not in e)

    biweekly = master(network["biweekly"])
    # 17 November 2025 + a multiple of two weeks: 23 February 2026 (not the 16th).
    assert biweekly.decoded("DTSTART").date() == date(2026, 2, 23)
    assert biweekly["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    count = master(network["count"])
    # Ten meetings from 30 October 2025: four are before the window, six are left.
    assert count.decoded("DTSTART").date() == date(2026, 2, 26)
    assert count["RRULE"]["COUNT"] == [6]
    until = master(network["until"])
    # UNTIL in UTC, as RFC 5545 requires with a zoned DTSTART: the end of 28 October.
    assert b"UNTIL=20261028T225959Z" in until["RRULE"].to_ical()


def test_vtimezones_have_one_rule_per_change_and_never_several_rdates(client, network):
    body = client.get(reverse("rcp:feed_all")).content.decode()
    zones = re.findall(r"BEGIN:VTIMEZONE.*?END:VTIMEZONE", body, re.S)
    assert len(zones) == 6
    assert "RDATE" not in body
    paris = next(z for z in zones if "TZID:Europe/Paris" in z)
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in paris
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in paris
    reunion = next(z for z in zones if "TZID:Indian/Reunion" in z)
    assert "TZOFFSETTO:+0400" in reunion and "DAYLIGHT" not in reunion


@pytest.mark.parametrize("key", [key for key, _label in Rcp._meta.get_field("timezone").choices])
def test_every_zone_an_rcp_may_use_has_a_vtimezone(key):
    text = ics.vtimezone(key, 2026)
    assert text.startswith("BEGIN:VTIMEZONE") and "RDATE" not in text


def test_sequence_grows_with_each_change_and_last_modified_follows(client, frozen_now):
    rcp = make_rcp()
    url = reverse("rcp:feed_rcp", args=[rcp.slug])

    def head():
        events = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
        event = next(e for e in events if "RECURRENCE-ID" not in e)
        return int(event["SEQUENCE"]), event.decoded("LAST-MODIFIED"), str(event["UID"])

    sequence, modified, uid = head()
    rcp.start_time = time(15, 0)
    rcp.save()
    after_edit = head()
    assert after_edit[0] > sequence and after_edit[2] == uid
    make_exception(rcp, date(2026, 3, 10))
    after_exception = head()
    assert after_exception[0] > after_edit[0]
    assert after_exception[1] >= modified
    RcpException.objects.get().delete()
    assert head()[0] > after_exception[0]


def test_feeds_follow_a_change_of_slug_with_a_permanent_redirect(client, frozen_now):
    rcp = make_rcp(slug="rcp-ancienne")
    rcp.slug = "rcp-nouvelle"
    rcp.save()
    for route in ("rcp:feed_rcp", "rcp:deadlines_rcp", "rcp:detail"):
        response = client.get(reverse(route, args=["rcp-ancienne"]) + "?rappel=1j")
        assert response.status_code == 301
        assert response["Location"] == reverse(route, args=["rcp-nouvelle"]) + "?rappel=1j"
    selection = client.get(reverse("rcp:feed_all") + "?rcp=rcp-ancienne&rappel=1h")
    assert selection.status_code == 301
    assert selection["Location"] == reverse("rcp:feed_all") + "?rcp=rcp-nouvelle&rappel=1h"
    assert client.get(reverse("rcp:feed_rcp", args=["jamais-vue"])).status_code == 404


def test_a_former_slug_of_an_unpublished_rcp_is_404(client, frozen_now):
    rcp = make_rcp(slug="avant")
    rcp.slug = "apres"
    rcp.is_published = False
    rcp.save()
    assert client.get(reverse("rcp:feed_rcp", args=["avant"])).status_code == 404
    assert client.get(reverse("rcp:detail", args=["avant"])).status_code == 404


def test_private_video_link_stays_out_of_the_feed_and_public_one_is_shown(client, frozen_now):
    private = make_rcp(video_url="https://visio.example.org/secret")
    public = make_rcp(video_url="https://visio.example.org/ouvert", video_url_is_public=True)
    body = client.get(reverse("rcp:feed_all")).content.decode()
    assert "visio.example.org/secret" not in body
    assert "visio.example.org/ouvert" in body
    assert private.name in body and public.name in body


def test_feed_lines_are_crlf_and_folded_at_75_octets(client, frozen_now):
    make_rcp(name="RCP " + "très longue œsophage; virgule, " * 6, is_demo=True)
    body = client.get(reverse("rcp:feed_all")).content
    lines = body.split(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    body.decode("utf-8")  # folding never splits a character
    assert "(démonstration)" in icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"]


def test_fold_and_escape():
    assert ics.escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    for value in ("a;b,c\\d\ne\r\nf\rg", "RCP « œsophage », Brest; jeudi"):
        assert ics.escape_text(value) == icalendar.vText(value).to_ical().decode()
    folded = ics.fold("DESCRIPTION:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 80
    # An escape is never cut in two.
    line = "DESCRIPTION:" + "a" * 62 + "\\n" + "b" * 20
    assert all(not part.endswith("\\") for part in ics.fold(line).split("\r\n"))


def test_unpublished_rcp_has_no_feed(client, frozen_now):
    rcp = make_rcp(is_published=False)
    assert client.get(reverse("rcp:feed_rcp", args=[rcp.slug])).status_code == 404
    assert client.get(reverse("rcp:deadlines_rcp", args=[rcp.slug])).status_code == 404
    assert rcp.name not in client.get(reverse("rcp:feed_all")).content.decode()
    selection = client.get(reverse("rcp:feed_all") + f"?rcp={rcp.slug}").content.decode()
    assert rcp.name not in selection


@pytest.mark.parametrize(
    "query",
    [
        "axe=%00",
        "axe=" + "x" * 10000,
        "jour=XX",
        "portee=1",
        "centre=../../etc",
        "rappel=%00",
        "rappel=3ans",
        "rappel=" + "1" * 5000,
        "rcp=%00",
        "rcp=../../etc",
        "rcp=" + "a" * 200,
        "&".join(f"rcp=r{n}" for n in range(50)),
    ],
)
def test_hostile_feed_parameters_answer_400(client, query, frozen_now):
    for route in ("rcp:feed_all", "rcp:deadlines_all"):
        assert client.get(reverse(route) + "?" + query).status_code == 400


@pytest.mark.parametrize("query", ["rappel=%00", "rappel=demain", "rappel=1j&rappel=%FF"])
def test_hostile_reminder_on_single_feeds_answers_400(client, query, frozen_now, axes):
    rcp = make_rcp()
    for url in (
        reverse("rcp:feed_rcp", args=[rcp.slug]),
        reverse("rcp:deadlines_axis", args=["pancreas"]),
        reverse("rcp:feed_centre", args=[rcp.organiser.slug]),
    ):
        assert client.get(f"{url}?{query}").status_code == 400


def test_unknown_parameters_are_ignored(client, frozen_now):
    assert client.get(reverse("rcp:feed_all") + "?mode[]=1&utm_source=x").status_code == 200


def test_unknown_axis_or_centre_feed_is_404(client):
    for path in (
        "/rcp/axe/inconnu.ics",
        "/rcp/centre/inconnu.ics",
        "/rcp/inconnue.ics",
        "/rcp/echeances/axe/inconnu.ics",
        "/rcp/echeances/centre/inconnu.ics",
        "/rcp/echeances/inconnue.ics",
    ):
        assert client.get(path).status_code == 404


def _network(n: int):
    centre = factories.make_centre()
    for i in range(n):
        rcp = make_rcp(organiser=centre, name=f"RCP {i}")
        make_exception(rcp, date(2026, 3, 10))


@pytest.mark.parametrize(
    "url",
    ["/rcp/agenda.ics", "/rcp/echeances.ics", "/rcp/agenda.ics?rappel=1j&jour=TU"],
)
def test_feed_queries_do_not_grow_with_the_number_of_rcps(
    client, frozen_now, django_assert_max_num_queries, url
):
    """The feed reads its RCPs with their organisers and history in one query,
    and their exceptions in one more: no query per RCP."""
    _network(2)
    with django_assert_max_num_queries(6) as small:
        client.get(url)
    _network(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_an_unchanged_feed_has_the_same_text_all_day(client, frozen_now, time_machine):
    """A poll gets a 304 (same ETag) as long as nothing changed, the same day."""
    rcp = make_rcp()
    url = reverse("rcp:feed_rcp", args=[rcp.slug])
    first = client.get(url).content
    time_machine.move_to(NOW + timedelta(hours=5), tick=False)
    assert client.get(url).content == first


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
    centre = factories.make_centre()
    for n in range(20):  # over the 8 KB below which the page cache keeps no gzip copy
        make_rcp(organiser=centre, name=f"RCP de cancérologie digestive numéro {n}")
    url = reverse("rcp:feed_all")
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
            again = client.get(url)
        assert "RCP avant" in again.content.decode()
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
