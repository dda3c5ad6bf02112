"""Where is the user? Offline lookup of French postcodes and communes, and distances.

The data is La Poste's "Base officielle des codes postaux" with commune
coordinates (data.gouv.fr, Licence Ouverte / Etalab), shipped in
core/data/postcodes-fr.csv. It is read once per process.
"""

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import normalise

POSTCODES_CSV = Path(__file__).resolve().parent / "data" / "postcodes-fr.csv"
EARTH_RADIUS_KM = 6371.0088
_POSTCODE_IN_TEXT = re.compile(r"\b(\d{5})\b")
# The postcode file lists Paris, Lyon and Marseille by arrondissement ("Lyon 03"):
# "Lyon" is the whole city, "Lyon 3e" or "Paris 13eme arrondissement" one of them.
_ARRONDISSEMENT = re.compile(
    r"^(paris|lyon|marseille) (\d{1,2})(?: ?(?:e|eme|er|ere))?(?: arr\w*)?$"
)
_CITY_OF_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) \d\d$")

# Bounding boxes (south, north, west, east) of mainland France with Corsica and
# of the five overseas departments. A coordinate outside all of them is a typo.
FRANCE_BOUNDS = {
    "métropole": (41.3, 51.2, -5.3, 9.7),
    "Guadeloupe": (15.8, 16.55, -61.85, -60.95),
    "Martinique": (14.35, 14.9, -61.25, -60.8),
    "Guyane": (2.1, 5.8, -54.65, -51.6),
    "La Réunion": (-21.4, -20.85, 55.2, 55.85),
    "Mayotte": (-13.05, -12.6, 44.95, 45.35),
}


@dataclass(frozen=True)
class Place:
    """A commune served by a postcode, with its coordinates."""

    postcode: str
    commune: str
    latitude: float
    longitude: float
    department: str

    @property
    def label(self) -> str:
        return f"{self.commune} ({self.postcode})"


@dataclass(frozen=True)
class Location:
    """The point distances are measured from, and how to name it to the user."""

    latitude: float
    longitude: float
    label: str


@dataclass(frozen=True)
class Lookup:
    """The answer to a place query: a location, choices to pick from, or nothing."""

    location: Location | None = None
    choices: tuple[Place, ...] = ()


class _Index:
    def __init__(self, rows: list[Place]):
        self.by_postcode: dict[str, list[Place]] = defaultdict(list)
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        self.by_city: dict[str, list[Place]] = defaultdict(list)  # arrondissements together
        for place in rows:
            self.by_postcode[place.postcode].append(place)
            name = normalise(place.commune)
            self.by_name[name].append(place)
            if found := _CITY_OF_ARRONDISSEMENT.match(name):
                self.by_city[found[1]].append(place)
        self.names = sorted(self.by_name)


@lru_cache(maxsize=1)
def _index() -> _Index:
    with POSTCODES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [
            Place(
                postcode=r["postcode"],
                commune=r["commune"],
                latitude=float(r["latitude"]),
                longitude=float(r["longitude"]),
                department=r["department"],
            )
            for r in csv.DictReader(fh)
        ]
    return _Index(rows)


def all_places():
    """Every (postcode, commune) place, in file order."""
    for places in _index().by_postcode.values():
        yield from places


def postcode_places(postcode: str) -> list[Place]:
    """The communes a postcode serves (empty if the postcode does not exist)."""
    return list(_index().by_postcode.get(postcode, ()))


def commune_places(name: str) -> list[Place]:
    """The places of the communes called `name` (accents, case and "Cedex" aside):
    every arrondissement for "Paris", "Lyon" or "Marseille", one for "Lyon 3e"."""
    index = _index()
    words = normalise(name).split()
    if "cedex" in words:
        words = words[: words.index("cedex")]
    key = _arrondissement(" ".join(words))
    return list(index.by_name.get(key) or index.by_city.get(key) or ())


def _arrondissement(name: str) -> str:
    """ "lyon 3e" -> "lyon 03", the postcode file's name; other names as they are."""
    found = _ARRONDISSEMENT.match(name)
    return f"{found[1]} {int(found[2]):02d}" if found else name


def _centroid(places: list[Place], label: str) -> Location:
    lat = sum(p.latitude for p in places) / len(places)
    lon = sum(p.longitude for p in places) / len(places)
    return Location(round(lat, 5), round(lon, 5), label)


def _distinct_communes(places: list[Place]) -> list[Place]:
    """One place per commune (a commune can have several postcodes)."""
    seen, result = set(), []
    for place in sorted(places, key=lambda p: (p.department, p.commune, p.postcode)):
        key = (place.commune, place.department)
        if key not in seen:
            seen.add(key)
            result.append(place)
    return result


def lookup(query: str, max_choices: int = 12) -> Lookup:
    """Find a postcode ("29200"), a commune ("Brest", "saint etienne") or both.

    A postcode serving several communes is located at their centroid; a
    commune name shared by several communes returns the choices.
    """
    query = (query or "").strip()
    index = _index()
    match = _POSTCODE_IN_TEXT.search(query)
    if match:
        places = index.by_postcode.get(match.group(1), [])
        name = normalise(query.replace(match.group(1), ""))
        if name:
            named = [p for p in places if normalise(p.commune) == name]
            places = named or places
        if not places:
            return Lookup()
        communes = _distinct_communes(places)
        label = f"{match.group(1)} {communes[0].commune}" if len(communes) == 1 else match.group(1)
        return Lookup(location=_centroid(places, label))

    name = _arrondissement(normalise(query))
    if not name:
        return Lookup()
    if name in index.by_city:  # "Lyon": the city itself, not a choice of arrondissements
        places = index.by_city[name]
        return Lookup(location=_centroid(places, places[0].commune.rsplit(" ", 1)[0]))
    places = index.by_name.get(name)
    if places:
        communes = _distinct_communes(places)
        if len(communes) == 1:
            place = communes[0]
            return Lookup(location=Location(place.latitude, place.longitude, place.commune))
        return Lookup(choices=tuple(communes[:max_choices]))
    # No exact name: offer the communes whose name starts with the query.
    starts = [n for n in index.names if n.startswith(name)][:max_choices]
    choices = [p for n in starts for p in _distinct_communes(index.by_name[n])]
    return Lookup(choices=tuple(choices[:max_choices]))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def france_area(latitude: float, longitude: float) -> str | None:
    """The name of the French area whose box holds the point, or None."""
    for name, (south, north, west, east) in FRANCE_BOUNDS.items():
        if south <= latitude <= north and west <= longitude <= east:
            return name
    return None
