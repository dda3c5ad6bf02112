"""iCalendar (RFC 5545) feeds of RCP meetings and of their submission deadlines.

One VEVENT per RCP: its rule (RRULE) from a real meeting date in the RCP's own
zone, EXDATE for the meetings not held (cancelled, public holidays of its
territory), and an override (same UID, RECURRENCE-ID) for each meeting that
differs from the rule: moved, or with another submission deadline than usual
(a public holiday moves it back), so that every meeting states its exact
deadline. The "échéances" feed writes the deadlines themselves the same way.

The `icalendar` library writes what a feed holds once: the calendar's head,
the VTIMEZONEs, the reminders (VALARM). The lines repeated for each RCP and
meeting (UID, dates, RRULE, EXDATE, texts) are formatted here: written
through icalendar's components, a network feed of 500 RCPs took 150 ms for
its bare events alone (measured), against 100 ms allowed for the whole feed.
Two independent parsers (ical.js and vobject) read every feed in the tests,
trusting its own VTIMEZONE.

VTIMEZONEs are written as STANDARD/DAYLIGHT blocks with a yearly RRULE (or a
single STANDARD block for a zone without daylight-saving time), never with
several dates on one RDATE line: ical.js (Thunderbird) and vobject read only
the first one, and put every summer meeting one hour late.
"""

import dataclasses
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Alarm, Calendar, Timezone, TimezoneDaylight, TimezoneStandard

from core.dates import day_name, format_time

from .frenchdates import format_local, zone_name
from .models import Rcp
from .schedule import Series

_SLUG = "rcp-slug"
PAST_DAYS = 14
FUTURE_DAYS = 365
PRODID = "-//PAN-TOGETHER//Portail des RCP//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"
UID_DOMAIN = "pan-together"

# Reminders a subscriber may ask for, before the submission deadline:
# key -> (label, nominal days, hours).
REMINDERS = {
    "1h": ("1 heure avant la date limite", 0, 1),
    "4h": ("4 heures avant la date limite", 0, 4),
    "1j": ("la veille de la date limite, à la même heure", 1, 0),
    "2j": ("2 jours avant la date limite, à la même heure", 2, 0),
}


def feed_window(today: date) -> tuple[date, date]:
    """The local dates a feed covers: four weeks back, a year ahead."""
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)


def escape_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 says (as icalendar's vText
    does, five times faster: its Parameters cost 30 µs a value)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character nor
    right after a backslash (some clients do not join an escape cut in two)."""
    if len(line) <= 18:  # 18 characters are at most 72 octets
        return line
    encoded = line.encode()
    size = len(encoded)
    if size <= 75:
        return line
    parts = []
    start, limit = 0, 75
    while size - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            end -= 1
        while encoded[end - 1] == 0x5C and end - 1 > start:  # a backslash
            end -= 1
        parts.append(encoded[start:end])
        start, limit = end, 74  # continuation lines begin with a space
    parts.append(encoded[start:])
    return b"\r\n ".join(parts).decode()


def _stamp(value: datetime) -> str:
    return f"{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _local(day: date, at: time) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}T{at.hour:02d}{at.minute:02d}00"


# --- Time zones ---------------------------------------------------------------


def _transitions(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """(local onset before the change, offset before, offset after) of each
    change of UTC offset in that year, to the quarter hour."""
    found = []
    step = timedelta(minutes=15)
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + timedelta(days=1)
        if following.astimezone(zone).utcoffset() != before:
            while (moment + step).astimezone(zone).utcoffset() == before:
                moment += step
            moment += step
            after = moment.astimezone(zone).utcoffset()
            found.append(((moment + before).replace(tzinfo=None), before, after))
            before = after
        else:
            moment = following
    return found


def _yearly_rule(onset: datetime) -> dict:
    """The yearly rule that gives this onset: the last, or the n-th, weekday of its month."""
    last_of_month = (onset + timedelta(days=7)).month != onset.month
    ordinal = -1 if last_of_month else (onset.day - 1) // 7 + 1
    code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[onset.weekday()]
    return {"FREQ": "YEARLY", "BYMONTH": onset.month, "BYDAY": f"{ordinal}{code}"}


def _rule_onset(rule: dict, year: int, at: time) -> datetime:
    month = rule["BYMONTH"]
    ordinal, code = int(rule["BYDAY"][:-2]), rule["BYDAY"][-2:]
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU").index(code)
    first = date(year, month, 1)
    days = [first + timedelta(days=n) for n in range(31)]
    days = [d for d in days if d.month == month and d.weekday() == weekday]
    return datetime.combine(days[ordinal - 1 if ordinal > 0 else ordinal], at)


@lru_cache(maxsize=16)
def vtimezone(key: str, year: int) -> str:
    """The VTIMEZONE of an IANA zone as folded text (CRLF, no final line end),
    right for `year` and every year after it while the zone keeps its rules.

    A zone with daylight-saving time gets STANDARD and DAYLIGHT blocks, each
    with a yearly RRULE from the first year its current rule held (checked
    against the IANA database year by year); a zone without, one STANDARD
    block. Raises ValueError for a zone whose changes follow no yearly rule
    (none of the zones an RCP may use).
    """
    zone = ZoneInfo(key)
    component = Timezone()
    component.add("TZID", key)
    component.add("X-LIC-LOCATION", key)
    changes = _transitions(zone, year)
    if not changes:
        if _transitions(zone, year + 1) or _transitions(zone, year - 1):
            raise ValueError(f"{key}: changes of offset that follow no yearly rule")
        offset = datetime(year, 1, 1, tzinfo=zone).utcoffset()
        standard = TimezoneStandard()
        standard.add("DTSTART", datetime(1970, 1, 1))
        standard.add("TZOFFSETFROM", offset)
        standard.add("TZOFFSETTO", offset)
        standard.add("TZNAME", datetime(year, 1, 1, tzinfo=zone).tzname())
        component.add_component(standard)
        return component.to_ical().decode().rstrip("\r\n")
    for onset, before, after in changes:
        rule = _yearly_rule(onset)
        # Every year from 2000 on must change on the rule's day (else refuse),
        # and the block starts with the first year the rule held.
        first_year = year
        while first_year > 1970 and any(
            _rule_onset(rule, first_year - 1, onset.time()) == found[0]
            for found in _transitions(zone, first_year - 1)
        ):
            first_year -= 1
        for later in range(year, year + 30):
            if all(
                _rule_onset(rule, later, onset.time()) != f[0] for f in _transitions(zone, later)
            ):
                raise ValueError(f"{key}: changes of offset that follow no yearly rule")
        block = TimezoneDaylight() if after > before else TimezoneStandard()
        block.add("DTSTART", _rule_onset(rule, first_year, onset.time()))
        block.add("RRULE", rule)
        block.add("TZOFFSETFROM", before)
        block.add("TZOFFSETTO", after)
        block.add("TZNAME", datetime.combine(onset.date(), time(12), zone).tzname())
        component.add_component(block)
    return component.to_ical().decode().rstrip("\r\n")


# --- Events -------------------------------------------------------------------


def _location(rcp: Rcp) -> str:
    where = ", ".join(x for x in (rcp.place, str(rcp.organiser), rcp.organiser.city) if x)
    if rcp.mode == Rcp.Mode.VIDEO:
        text = "Visioconférence"
    elif rcp.mode == Rcp.Mode.HYBRID:
        text = f"{where} et visioconférence"
    else:
        text = where
    if rcp.video_link_is_shown:
        text += f" — {rcp.video_url}"
    return text


def _when(value: datetime) -> str:
    """ "mardi 24 novembre 2026 à 14 h 00", with the zone named outside Paris
    (a calendar shows the event itself at the reader's own time)."""
    text = format_local(value)
    key = value.tzinfo.key
    return text if key == "Europe/Paris" else f"{text} ({zone_name(key)})"


def usual_deadline_text(rcp: Rcp, offset: int, weekday: int) -> str:
    """The usual deadline of a meeting on that weekday, in words, after
    "Dossiers avant": "le vendredi précédent à 12 h 00 (4 jours avant la séance)"."""
    at = format_time(rcp.deadline_time)
    if rcp.timezone != "Europe/Paris":
        at += f" ({zone_name(rcp.timezone)})"
    if offset == 0:
        return f"{at} le jour même"
    if offset == 1:
        return f"la veille à {at}"
    day = day_name((weekday - offset) % 7)
    if offset < 7:
        return f"le {day} précédent à {at}"
    return f"le {day} à {at}, {offset} jours avant la séance"


@lru_cache(maxsize=256)
def _alarm(days: int, seconds: int, description: str) -> str:
    """A VALARM (written by icalendar) `days` (nominal) and `seconds` before
    the start of its event."""
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", description)
    alarm.add("TRIGGER", -timedelta(days=days, seconds=seconds))
    return alarm.to_ical().decode().rstrip("\r\n")


class _RcpTexts:
    """What the events of one RCP share, escaped and folded once."""

    __slots__ = ("uid", "tzid", "summary", "location", "url", "tail")

    def __init__(self, rcp: Rcp, page: str, *, deadlines: bool):
        self.uid = f"UID:rcp-{rcp.id}{'-echeances' if deadlines else ''}@{UID_DOMAIN}"
        self.tzid = f";TZID={rcp.timezone}:"
        name = f"Date limite des dossiers — {rcp.name}" if deadlines else rcp.name
        if rcp.is_demo:
            name += " (démonstration)"
        self.summary = fold("SUMMARY:" + escape_text(name))
        location = "" if deadlines else _location(rcp)
        self.location = fold("LOCATION:" + escape_text(location)) if location else ""
        self.url = fold("URL:" + page)
        self.tail = escape_text(f"Présenter un dossier : {page}")


class Writer:
    """Writes the VEVENTs of a feed, one RCP after another."""

    def __init__(
        self,
        *,
        absolute: Callable[[str], str],
        now: datetime,
        reminder: str = "",
        deadlines: bool = False,
    ):
        # The address of an RCP's page, as a template (reversing 500 URLs takes 15 ms).
        self.page = absolute(reverse("rcp:detail", args=[_SLUG]))
        self.stamp = "DTSTAMP:" + _stamp(now)
        self.reminder = REMINDERS.get(reminder)
        self.deadlines = deadlines
        self.zones: set[str] = set()

    def _description(self, head: str, texts: _RcpTexts, *, tail: bool = True) -> str:
        if not tail:
            return fold(f"DESCRIPTION:{escape_text(head)}")
        return fold(f"DESCRIPTION:{escape_text(head)}\\n{texts.tail}")

    def _valarm(self, days: int, seconds: int) -> str:
        """The reminder, `days` and `seconds` before the event's start."""
        label, lead_days, lead_hours = self.reminder
        text = "Rappel : date limite d’envoi des dossiers " + (
            f"dans {lead_hours} h"
            if lead_hours
            else f"dans {lead_days} jour" + "s" * (lead_days > 1)
        )
        seconds += 3600 * lead_hours
        if seconds < 0:  # a deadline later in the day than the start
            days, seconds = days - 1, seconds + 86400
        return _alarm(days + lead_days, seconds, text)

    def _meeting_alarm(self, start: datetime, deadline: datetime) -> str:
        days = (start.date() - deadline.date()).days
        seconds = (start.hour - deadline.hour) * 3600 + (start.minute - deadline.minute) * 60
        return self._valarm(days, seconds)

    def series(self, series: Series, sequence: int, modified: datetime | None) -> list[str]:
        """The master VEVENT of an RCP and its overrides, as content lines."""
        rcp = series.rcp
        self.zones.add(rcp.timezone)
        texts = _RcpTexts(rcp, self.page.replace(_SLUG, rcp.slug), deadlines=self.deadlines)
        if self.deadlines:
            return self._deadline_series(series, texts, sequence, modified)
        rule = rcp.rule
        start = datetime.combine(series.start, rcp.start_time, rcp.zone)
        # DURATION, shorter than DTEND: an "exact" duration (RFC 5545 §3.3.6), the
        # meeting lasts that long whatever a change of time in between.
        hours, minutes = divmod(rcp.duration_minutes, 60)
        duration = f"DURATION:PT{hours}H{minutes}M" if minutes else f"DURATION:PT{hours}H"
        if not hours:
            duration = f"DURATION:PT{minutes}M"
        lines = ["BEGIN:VEVENT", texts.uid, self.stamp]
        if modified:
            lines.append("LAST-MODIFIED:" + _stamp(modified))
        lines += [
            f"SEQUENCE:{sequence}",
            "DTSTART" + texts.tzid + _local(series.start, rcp.start_time),
            duration,
            "RRULE:" + _rrule(rule, series, rcp),
        ]
        if series.skipped:
            at = rcp.start_time
            lines.append(
                fold("EXDATE" + texts.tzid + ",".join(_local(d, at) for d in series.skipped))
            )
        usual = usual_deadline_text(rcp, series.usual_offset, series.start.weekday())
        lines += [
            texts.summary,
            *([texts.location] if texts.location else []),
            self._description(f"Dossiers avant {usual}.", texts),
        ]
        if self.reminder:
            deadline = datetime.combine(
                series.start - timedelta(days=series.usual_offset), rcp.deadline_time
            )
            lines.append(self._meeting_alarm(start, deadline))
        lines.append("END:VEVENT")
        for meeting in series.changed:
            head = f"Dossiers avant le {_when(meeting.deadline)}."
            if meeting.is_moved:
                head = (
                    f"Séance déplacée du {_when(meeting.original_start)}"
                    + (f", motif : {meeting.note}" if meeting.note else "")
                    + f".\n{head}"
                )
            lines += [
                "BEGIN:VEVENT",
                texts.uid,
                self.stamp,
                f"SEQUENCE:{sequence}",
                "RECURRENCE-ID" + texts.tzid + _local(meeting.original_date, rcp.start_time),
                "DTSTART" + texts.tzid + _local(meeting.start.date(), meeting.start.time()),
                duration,
                texts.summary,
                *([texts.location] if texts.location else []),
                # The page's address only where the meeting moved: the size of
                # a network feed (600 KB for 500 RCPs) allows no more.
                self._description(head, texts, tail=meeting.is_moved),
            ]
            if self.reminder:
                lines.append(self._meeting_alarm(meeting.start, meeting.deadline))
            lines.append("END:VEVENT")
        return lines

    def _deadline_series(
        self, series: Series, texts: _RcpTexts, sequence: int, modified: datetime | None
    ) -> list[str]:
        """The deadlines of an RCP: the same instances, each at its meeting's deadline."""
        rcp = series.rcp
        offset = timedelta(days=series.usual_offset)
        at = rcp.deadline_time
        lines = ["BEGIN:VEVENT", texts.uid, self.stamp]
        if modified:
            lines.append("LAST-MODIFIED:" + _stamp(modified))
        lines += [
            f"SEQUENCE:{sequence}",
            "DTSTART" + texts.tzid + _local(series.start - offset, at),
        ]
        shifted = _shifted_rule(rcp.rule, series, rcp)
        if shifted:
            lines.append("RRULE:" + shifted)
        else:
            # DTSTART listed again: ical.js leaves it out of a set of RDATEs
            # that does not name it (RFC 5545 counts it, and ignores the repeat).
            lines.append(
                fold("RDATE" + texts.tzid + ",".join(_local(d - offset, at) for d in series.dates))
            )
        if series.skipped:
            lines.append(
                fold(
                    "EXDATE" + texts.tzid + ",".join(_local(d - offset, at) for d in series.skipped)
                )
            )
        weekday = day_name(series.start.weekday())
        when = (
            "le jour même"
            if not series.usual_offset
            else f"le {weekday} suivant ({series.usual_offset} jour"
            + "s" * (series.usual_offset > 1)
            + " plus tard)"
        )
        start_text = format_time(rcp.start_time)
        lines += [
            texts.summary,
            self._description(f"Dossiers pour la séance qui suit, {when} à {start_text}.", texts),
            texts.url,
        ]
        if self.reminder:
            lines.append(self._valarm(0, 0))
        lines.append("END:VEVENT")
        for meeting in series.changed:
            head = f"Dossiers pour la séance du {_when(meeting.start)}."
            if meeting.is_moved:
                head = f"Séance déplacée du {_when(meeting.original_start)}.\n{head}"
            deadline = meeting.deadline
            lines += [
                "BEGIN:VEVENT",
                texts.uid,
                self.stamp,
                f"SEQUENCE:{sequence}",
                "RECURRENCE-ID" + texts.tzid + _local(meeting.original_date - offset, at),
                "DTSTART" + texts.tzid + _local(deadline.date(), deadline.time()),
                texts.summary,
                self._description(head, texts),
            ]
            if self.reminder:
                lines.append(self._valarm(0, 0))
            lines.append("END:VEVENT")
        return lines


def _until(day: date, rcp: Rcp) -> str:
    """UNTIL in UTC (RFC 5545 §3.3.10, with a DTSTART in a zone): the end of that local day."""
    return _stamp(datetime.combine(day, time(23, 59, 59), rcp.zone))


def _rrule(rule, series: Series, rcp: Rcp) -> str:
    """The RCP's rule from the series' start: COUNT is what is left of it,
    UNTIL a UTC instant."""
    text = str(dataclasses.replace(rule, count=series.count, until=None))
    if rule.until is not None:
        text += ";UNTIL=" + _until(rule.until, rcp)
    return text


def _shifted_rule(rule, series: Series, rcp: Rcp) -> str | None:
    """The rule of the usual deadlines, when one exists: a weekly rule on one
    weekday moved back by the usual offset (a monthly rule moved back by some
    days is no rule: the deadlines are then listed)."""
    if rule.freq != "WEEKLY" or rule.bymonth or len(rule.weekdays) > 1:
        return None
    weekday = (series.start - timedelta(days=series.usual_offset)).weekday()
    shifted = dataclasses.replace(
        rule, byday=((0, weekday),), count=series.count, until=None, wkst=0
    )
    text = str(shifted)
    if rule.until is not None:
        text += ";UNTIL=" + _until(rule.until - timedelta(days=series.usual_offset), rcp)
    return text


def render(
    *,
    name: str,
    description: str,
    series: Iterable[tuple[Series, int, datetime | None]],
    absolute: Callable[[str], str],
    now: datetime,
    reminder: str = "",
    deadlines: bool = False,
) -> str:
    """The whole VCALENDAR text (CRLF line ends): one (series, SEQUENCE,
    LAST-MODIFIED) per RCP."""
    writer = Writer(absolute=absolute, now=now, reminder=reminder, deadlines=deadlines)
    events: list[str] = []
    for item, sequence, modified in series:
        events += writer.series(item, sequence, modified)
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-CALDESC", description)
    calendar.add("X-WR-TIMEZONE", "Europe/Paris")
    calendar.add("REFRESH-INTERVAL", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT12H")
    head = calendar.to_ical().decode().removesuffix("END:VCALENDAR\r\n").rstrip("\r\n")
    # The feed starts four weeks back: the zones are written for that year on.
    first_year = (now - timedelta(days=PAST_DAYS)).year
    zones = [vtimezone(key, first_year) for key in sorted(writer.zones)]
    return "\r\n".join([head, *zones, *events, "END:VCALENDAR", ""])
