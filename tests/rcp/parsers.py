"""Two independent iCalendar parsers that trust a feed's own VTIMEZONEs:
ical.js (Thunderbird's, from npm, run by Node) and vobject (PyPI).

`icalendar`, which wrote part of the feeds, resolves a TZID by its name from
the IANA database and so cannot see a wrong VTIMEZONE: it is not one of them.
Both return the occurrences of every event, overrides applied, as
`Instance`s (UTC instants).
"""

import json
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import vobject
from vobject import icalendar as vobject_icalendar

SCRIPT = Path(__file__).parent / "js" / "occurrences.mjs"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Instance:
    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    alarm: datetime | None


def _utc(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def icaljs(bodies: list[bytes], first: datetime, last: datetime) -> list[list[Instance]]:
    """The occurrences ical.js finds in each feed, starting from `first` to `last`."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, body in enumerate(bodies):
            path = Path(folder) / f"feed-{n}.ics"
            path.write_bytes(body)
            paths.append(str(path))
        done = subprocess.run(
            ["node", str(SCRIPT), str(int(first.timestamp())), str(int(last.timestamp())), *paths],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=True,
        )
    return [
        [
            Instance(
                x["uid"],
                _utc(x["start"]),
                _utc(x["end"]),
                x["summary"],
                x["description"] or "",
                _utc(x["alarm"]),
            )
            for x in found
        ]
        for found in json.loads(done.stdout)
    ]


def _forget_zones() -> None:
    """vobject keeps the first VTIMEZONE it read for each TZID, for the whole
    process: forget them, so that each feed is read with its own."""
    registry = vars(vobject_icalendar)["__tzidMap"]
    for key in [k for k in registry if k != "UTC"]:
        del registry[key]


def _end(event, start: datetime) -> datetime:
    if hasattr(event, "duration"):
        return start + event.duration.value
    if hasattr(event, "dtend"):
        return event.dtend.value
    return start


def _alarm(event, start: datetime) -> datetime | None:
    if not hasattr(event, "valarm"):
        return None
    trigger = event.valarm.trigger.value
    # Days are nominal (RFC 5545 §3.3.6): counted on the local wall clock.
    local = start.replace(tzinfo=None) + trigger
    return local.replace(tzinfo=start.tzinfo).astimezone(UTC)


def vobject_instances(body: bytes, first: datetime, last: datetime) -> list[Instance]:
    """The occurrences vobject (and dateutil's rrule) finds, from `first` to `last`."""
    _forget_zones()
    calendar = vobject.readOne(body.decode())
    masters, overrides = {}, {}
    for event in getattr(calendar, "vevent_list", []):
        uid = event.uid.value
        if hasattr(event, "recurrence_id"):
            overrides[(uid, event.recurrence_id.value)] = event
        else:
            masters[uid] = event
    found = []
    for uid, event in masters.items():
        rules = event.getrruleset(addRDate=True)
        dates = (
            rules.between(first - timedelta(days=60), last + timedelta(days=60), inc=True)
            if rules
            else [event.dtstart.value]
        )
        for when in dates:
            item = overrides.get((uid, when), event)
            start = item.dtstart.value if item is not event else when
            if not first <= start <= last:
                continue
            found.append(
                Instance(
                    uid,
                    start.astimezone(UTC),
                    _end(item, start).astimezone(UTC),
                    item.summary.value,
                    item.description.value if hasattr(item, "description") else "",
                    _alarm(item, start),
                )
            )
    return found
