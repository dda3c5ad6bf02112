"""iCalendar (RFC 5545) feeds of RCP meetings.

Each meeting of the next twelve months (and of the last four weeks, so that a
subscribed calendar keeps recent ones) is written as its own VEVENT: no RRULE
for the client to interpret, so Outlook, Google and Apple show the same
dates, moved meetings at their new time and cancelled ones marked as such.
Times carry the RCP's TZID with a VTIMEZONE generated from the IANA database.

The text is written here rather than through the `icalendar` package, which is
about twenty times slower on a feed of 20,000 events; the tests parse the
output with `icalendar` to check it independently.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import Timezone

from .frenchdates import format_datetime
from .models import Rcp
from .schedule import Occurrence

PAST_DAYS = 28
FUTURE_DAYS = 365
PRODID = "-//PAN-TOGETHER//Portail des RCP//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def feed_window(today: date) -> tuple[date, date]:
    """The local dates a feed covers."""
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _chunks(encoded: bytes, first: int) -> list[bytes]:
    """Split UTF-8 bytes into pieces of at most `first`, then 74 octets, never
    inside a character (continuation bytes are 10xxxxxx)."""
    parts = []
    start, limit, size = 0, first, len(encoded)
    while True:
        end = start + limit
        if end >= size:
            parts.append(encoded[start:])
            return parts
        while encoded[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(encoded[start:end])
        start, limit = end, 74  # continuation lines begin with a space


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    if len(line) <= 18:  # 18 characters are at most 72 octets
        return line
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    return b"\r\n ".join(_chunks(encoded, 75)).decode()


def _date_text(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _utc(value: datetime) -> str:
    return f"{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"


@lru_cache(maxsize=64)
def vtimezone(key: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE of an IANA zone for the years covered, as folded text."""
    component = Timezone.from_tzid(
        key, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    return component.to_ical().decode().strip()


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


def _contact(rcp: Rcp) -> str:
    items = [x for x in (rcp.secretariat_phone, rcp.secretariat_email) if x]
    return f"Secrétariat : {', '.join(items)}." if items else ""


class _RcpText:
    """The parts of an RCP's events that do not change from one meeting to the
    next, written once per feed: a feed of 500 RCPs has 20,000 events."""

    __slots__ = (
        "zone",
        "summary",
        "summary_line",
        "uid",
        "dtstart",
        "dtend",
        "middle",
        "end",
        "tail",
        "tails",
    )

    def __init__(self, rcp: Rcp, absolute: Callable[[str], str], stamp: str):
        self.zone = rcp.timezone
        self.summary = rcp.name
        self.summary_line = fold(f"SUMMARY:{escape_text(rcp.name)}")
        self.uid = f"BEGIN:VEVENT\r\nUID:rcp-{rcp.id}-"
        self.dtstart = f"@pan-together\r\n{stamp}\r\nDTSTART;TZID={rcp.timezone}:"
        self.dtend = f"\r\nDTEND;TZID={rcp.timezone}:"
        self.middle = "\r\n" + fold(f"LOCATION:{escape_text(_location(rcp))}") + "\r\n"
        url = absolute(rcp.get_absolute_url())
        self.end = "\r\n" + fold(f"URL:{url}") + "\r\n"
        how = (
            ""
            if rcp.video_link_is_shown or rcp.mode == Rcp.Mode.ON_SITE
            else " Le lien de connexion est transmis par le secrétariat aux médecins inscrits."
        )
        self.tail = "\\n".join(
            escape_text(x)
            for x in (
                f"Organisée par {rcp.organiser}.{how}",
                _contact(rcp),
                f"Présenter un dossier, fiche et contacts : {url}",
                "Donnée de démonstration." if rcp.is_demo else "",
            )
            if x
        ).encode()
        self.tails: dict[int, list[bytes]] = {}

    def description(self, head: str) -> str:
        """The folded DESCRIPTION line: the meeting's own text, then the RCP's.

        The RCP's part is folded once for each column it may start at.
        """
        parts = _chunks(f"DESCRIPTION:{head}\\n".encode(), 75)
        used = len(parts[-1]) + (1 if len(parts) > 1 else 0)
        tail = self.tails.get(used)
        if tail is None:
            tail = self.tails[used] = _chunks(self.tail, 75 - used)
        parts[-1] += tail[0]
        return b"\r\n ".join(parts + tail[1:]).decode()


class _Writer:
    """Writes VEVENTs, remembering what many events share (RCP texts, deadlines)."""

    def __init__(self, absolute: Callable[[str], str], now: datetime):
        self.absolute = absolute
        self.stamp = f"DTSTAMP:{_utc(now)}"
        self.texts: dict[int, _RcpText] = {}
        self.deadlines: dict[tuple, str] = {}
        self.dates: dict[date, str] = {}
        self.times: dict[tuple, str] = {}

    def local(self, value: datetime) -> str:
        day = value.date()
        text = self.dates.get(day)
        if text is None:
            text = self.dates[day] = _date_text(day)
        key = (value.hour, value.minute)
        hour = self.times.get(key)
        if hour is None:
            hour = self.times[key] = f"T{value.hour:02d}{value.minute:02d}00"
        return text + hour

    def deadline(self, value: datetime) -> str:
        key = (value.year, value.month, value.day, value.hour, value.minute, value.tzinfo)
        found = self.deadlines.get(key)
        if found is None:
            found = self.deadlines[key] = escape_text(
                f"Date limite d’envoi des dossiers : {format_datetime(value)}."
            )
        return found

    def event(self, occurrence: Occurrence) -> str:
        rcp = occurrence.rcp
        text = self.texts.get(rcp.id)
        if text is None:
            text = self.texts[rcp.id] = _RcpText(rcp, self.absolute, self.stamp)
        if occurrence.is_cancelled:
            summary = fold(f"SUMMARY:{escape_text('Annulée : ' + text.summary)}")
            head = escape_text(
                "Séance annulée." + (f" Motif : {occurrence.note}." if occurrence.note else "")
            )
            status = "STATUS:CANCELLED\r\nSEQUENCE:1"
        else:
            summary = text.summary_line
            head = self.deadline(occurrence.deadline)
            status = "STATUS:CONFIRMED\r\nSEQUENCE:0"
            if occurrence.is_moved:
                moved = (
                    "Séance déplacée (prévue initialement le "
                    f"{format_datetime(occurrence.original_start)})"
                    + (f", motif : {occurrence.note}" if occurrence.note else "")
                    + "."
                )
                head = f"{escape_text(moved)}\\n{head}"
                status = "STATUS:CONFIRMED\r\nSEQUENCE:1"
        return "".join(
            (
                text.uid,
                self.dates.get(occurrence.original_date) or _date_text(occurrence.original_date),
                text.dtstart,
                self.local(occurrence.start),
                text.dtend,
                self.local(occurrence.end),
                "\r\n",
                summary,
                text.middle,
                text.description(head),
                text.end,
                status,
                "\r\nTRANSP:OPAQUE\r\nEND:VEVENT",
            )
        )


def render(
    *,
    name: str,
    description: str,
    occurrences: Iterable[Occurrence],
    absolute: Callable[[str], str],
    now: datetime,
) -> str:
    """The whole VCALENDAR text (CRLF line ends) for these meetings."""
    writer = _Writer(absolute, now)
    events = [writer.event(occurrence) for occurrence in occurrences]
    zones = {text.zone for text in writer.texts.values()}
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        fold(f"X-WR-CALNAME:{escape_text(name)}"),
        fold(f"X-WR-CALDESC:{escape_text(description)}"),
        "X-WR-TIMEZONE:Europe/Paris",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ]
    # The feed spans four weeks back and a year ahead: three calendar years at most.
    head += [vtimezone(key, now.year - 1, now.year + 1) for key in sorted(zones)]
    return "\r\n".join([*head, *events, "END:VCALENDAR", ""])
