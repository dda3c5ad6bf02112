"""What keeps demonstration contacts fictional: phone ranges, e-mail domain, names."""

import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DEMO_EMAIL_DOMAIN = "example.org"

# ARCEP keeps these ten-thousand-number blocks out of service for films and
# fiction, one per zone. Overseas: Réunion and Mayotte share zone 02, the
# Antilles and Guyane zone 05.
FICTION_PHONE_PREFIXES = {
    "01": "01 99 00",
    "02": "02 61 91",
    "03": "03 53 01",
    "04": "04 65 71",
    "05": "05 36 49",
}
FICTION_PHONE_RE = re.compile(r"^(?:01 99 00|02 61 91|03 53 01|04 65 71|05 36 49) \d\d \d\d$")
_ZONE_BY_REGION = {
    "11": "01",
    "24": "02",
    "28": "02",
    "52": "02",
    "53": "02",
    "04": "02",
    "06": "02",
    "27": "03",
    "32": "03",
    "44": "03",
    "84": "04",
    "93": "04",
    "94": "04",
    "75": "05",
    "01": "05",
    "02": "05",
    "03": "05",
}
# Occitanie spans two zones: Languedoc-Roussillon dials 04, Midi-Pyrénées 05.
_ZONE_04_OCCITANIE = {"11", "30", "34", "48", "66"}


def phone_zone(department) -> str:
    """The first two digits of a landline in the department's zone."""
    if department.region.code == "76":
        return "04" if department.code in _ZONE_04_OCCITANIE else "05"
    return _ZONE_BY_REGION[department.region.code]


def read_json(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@cache
def names() -> dict:
    """First and last names of fictional people, and the teams' roles (people.json)."""
    return read_json("people.json")
