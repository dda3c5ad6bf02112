"""Which network centre a registry facility is: normalised names, place and a score.

The registry spells one hospital many ways ("CHU Brest", "CHRU de Brest",
"Centre Hospitalier Universitaire de Brest", "Hôpital Pitié-Salpêtrière, AP-HP",
"Institut Gustave Roussy"). A name is reduced to:

- its *kind*, from the words that say what sort of hospital it is: a university
  hospital ("CHU", "CHRU", "Centre Hospitalier Universitaire", "Hôpitaux
  universitaires", "University Hospital"), a general one ("CH", "Centre
  hospitalier", "CHR"), a cancer centre ("Institut", "CLCC"), a private one
  ("Clinique", "Hôpital privé");
- its *distinctive words*, once those, the group names (AP-HP, AP-HM, HCL),
  the words every hospital name uses (hôpital, hospital, site, service,
  oncologie...), the commune and "Cedex" are taken out.

A facility is compared only with the centres near it (within RADIUS_KM of its
registry coordinates, postcode or commune), and with each of their names: the
name, the usual name, each part of a name written "A — B", and the names staff
matched to it before (aliases). Each part of the facility's name counts too
("CHU Brest - Hôpital de la Cavale Blanche" is the CHU de Brest). A name pair
scores (rapidfuzz, 0-100) when:

- both have distinctive words, and all those of one are in the other, word by
  word with rapidfuzz's ratio (a typo passes, "Saint-Louis" is not
  "Saint-Antoine"); a lone common word (saint, nord, a first name) must be the
  whole of both;
- neither has any, and both are of the same kind ("CHU de Brest" in Brest is
  the only university hospital there).

A private facility is never a public centre. The best centre is the match if
it scores MATCH_THRESHOLD or more and no other centre comes as close (two
university hospitals of AP-HP near "Assistance Publique - Hôpitaux de Paris":
no match). The threshold and rules were set on the table of real registry
spellings in tests/trials/test_matching.py: every miss there is work for staff,
a false match would send a patient to the wrong hospital.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from core import geo
from core.text import normalise

RADIUS_KM = 25
MATCH_THRESHOLD = 90
# A second centre scoring within this of the best makes the match ambiguous.
AMBIGUITY_MARGIN = 5
# Two words are the same word above this rapidfuzz ratio (only words of 5 letters
# or more: short words must be equal).
WORD_SIMILARITY = 85
EXTRA_WORD_PENALTY = 2

# Phrases (normalised) that say what kind of hospital a name is, longest first.
KIND_PHRASES = {
    "chu": (
        "centre hospitalier regional et universitaire",
        "centre hospitalier regional universitaire",
        "centre hospitalier et universitaire",
        "centre hospitalier universitaire",
        "centre hospitalo universitaire",
        "hopitaux universitaires",
        "hopital universitaire",
        "universitary hospital",
        "university hospitals",
        "university hospital",
        "teaching hospital",
        "c h r u",
        "c h u",
        "chru",
        "chu",
    ),
    "ch": (
        "centre hospitalier intercommunal",
        "centre hospitalier regional",
        "centre hospitalier general",
        "centre hospitalier",
        "hospital center",
        "hospital centre",
        "general hospital",
        "hopital general",
        "c h",
        "chr",
        "chi",
        "chg",
        "ch",
    ),
    "clcc": (
        "centre regional de lutte contre le cancer",
        "centre de lutte contre le cancer",
        "comprehensive cancer center",
        "cancer institute",
        "cancer center",
        "cancer centre",
        "institut",
        "institute",
        "crlcc",
        "clcc",
    ),
    "private": (
        "hopital prive",
        "private hospital",
        "polyclinique",
        "clinique",
    ),
}
# Hospital groups: several hospitals each, so they say neither which one nor a kind.
GROUP_PHRASES = (
    "assistance publique des hopitaux de paris",
    "assistance publique hopitaux de paris",
    "assistance publique des hopitaux de marseille",
    "assistance publique hopitaux de marseille",
    "assistance publique",
    "hospices civils de lyon",
    "hospices civils",
    "groupe hospitalier universitaire",
    "groupe hospitalier",
    "groupement hospitalier",
    "aphp",
    "ap hp",
    "aphm",
    "ap hm",
    "hcl",
    "ghu",
    "ght",
    "gh",
)
# Services and research units named inside a facility ("CHU de Brest - Service
# d'Oncologie", "Unité de Recherche Clinique"), removed before the kinds
# ("clinique" here is not a private clinic).
SERVICE_PHRASES = (
    "unite de recherche clinique",
    "centre d investigation clinique",
    "delegation a la recherche clinique",
    "recherche clinique",
    "clinical research",
    "clinical investigation",
)
# Words every hospital name may use: they tell nothing about which one it is.
GENERIC_WORDS = frozenset(
    """
    hopital hopitaux hospital hospitals hospitalier hospitaliere hospitaliers centre centres
    center centers site sites medical universitaire universitaires university universite
    service services department departement dept unit unite unites pole
    oncologie oncology oncologique cancerologie cancer cancers gastroenterologie
    gastroenterology hepatologie hepatology hepato gastro enterologie chirurgie surgery
    surgical digestive digestif digestives radiotherapie radiotherapy medecine medicine
    interne internal research recherche investigation essais cic urc drci campus
    de du des la le les l d the of and et a au aux en sur pour for in at cedex france
    """.split()
)
# Common words that may only identify a hospital when they are the whole of its name.
WEAK_WORDS = frozenset(
    """
    saint sainte nord sud est ouest general notre dame hotel dieu jean pierre paul louis
    marie joseph francois michel jacques charles henri georges nouvel nouveau
    """.split()
)
# How the registry names overseas France, to place a commune in the right department.
OVERSEAS_DEPARTMENTS = {
    "guadeloupe": "971",
    "martinique": "972",
    "french guiana": "973",
    "guyane": "973",
    "reunion": "974",
    "mayotte": "976",
}
_SEGMENTS = re.compile(r"\s[-–—]\s|[,;/:()\[\]]|\s[-–—]|[-–—]\s")


def _phrase_pattern(phrases) -> re.Pattern:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


_KIND_PATTERNS = [(kind, _phrase_pattern(phrases)) for kind, phrases in KIND_PHRASES.items()]
_GROUP_PATTERN = _phrase_pattern(GROUP_PHRASES)
_SERVICE_PATTERN = _phrase_pattern(SERVICE_PHRASES)


@dataclass(frozen=True)
class Name:
    """A hospital name reduced to its kind ("chu", "ch", "clcc", "private" or "")
    and its distinctive words."""

    kind: str
    words: tuple[str, ...]


def place_phrases(*cities: str) -> tuple[str, ...]:
    """The communes to take out of names: "Lyon Cedex 03" and "Paris 13" are "lyon", "paris"."""
    phrases = set()
    for city in cities:
        words = normalise(city).split()
        if "cedex" in words:
            words = words[: words.index("cedex")]
        while words and words[-1].isdigit():
            words.pop()
        if words:
            phrases.add(" ".join(words))
    return tuple(sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=20_000)
def reduce_name(name: str, places: tuple[str, ...] = ()) -> Name:
    """A name's kind and distinctive words, the communes `places` taken out."""
    text = f" {normalise(name)} "
    text = _SERVICE_PATTERN.sub(" ", text)
    text = _GROUP_PATTERN.sub(" ", text)
    kind = ""
    for candidate, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            kind = kind or candidate
            text = pattern.sub(" ", text)
    for place in places:
        text = re.sub(rf"(?<![a-z0-9]){re.escape(place)}(?![a-z0-9])", " ", text)
    words = tuple(
        word
        for word in text.split()
        if word not in GENERIC_WORDS and len(word) > 1 and not word.isdigit()
    )
    return Name(kind=kind, words=words)


def name_parts(name: str) -> list[str]:
    """The name and each part of it ("CHU de Brest — Hôpital Morvan": the whole,
    "CHU de Brest", "Hôpital Morvan")."""
    parts = [part.strip() for part in _SEGMENTS.split(name) if part and part.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


def _same_word(a: str, b: str) -> float:
    if a == b:
        return 100.0
    if min(len(a), len(b)) < 5:
        return 0.0
    ratio = fuzz.ratio(a, b)
    return ratio if ratio >= WORD_SIMILARITY else 0.0


def _aligned(small: tuple[str, ...], large: tuple[str, ...]) -> list[float] | None:
    """Each word of `small` paired with a distinct word of `large`; None if one has none."""
    free = list(large)
    ratios = []
    for word in small:
        best, best_ratio = None, 0.0
        for other in free:
            ratio = _same_word(word, other)
            if ratio > best_ratio:
                best, best_ratio = other, ratio
        if best is None:
            return None
        free.remove(best)
        ratios.append(best_ratio)
    return ratios


def score(facility: Name, centre: Name) -> float:
    """How surely two reduced names are the same hospital, 0 to 100."""
    if (facility.kind == "private") != (centre.kind == "private"):
        return 0.0  # a private clinic is never a public centre, nor the reverse
    if not facility.words and not centre.words:
        return 100.0 if facility.kind and facility.kind == centre.kind else 0.0
    if not facility.words or not centre.words:
        return 0.0
    small, large = sorted((facility.words, centre.words), key=len)
    ratios = _aligned(small, large)
    if ratios is None:
        return 0.0
    if len(small) < len(large) and all(word in WEAK_WORDS for word in small):
        return 0.0  # "Hôpital Nord" is not every hospital with "Nord" in its name
    extra = len(large) - len(small)
    return sum(ratios) / len(ratios) - EXTRA_WORD_PENALTY * extra


@dataclass
class CentreNames:
    """A centre as the matcher sees it: its names (aliases included) and place."""

    pk: object
    names: list[str]
    city: str
    postcode: str
    latitude: float
    longitude: float


@dataclass
class Facility:
    """A registry facility: its name and whatever locates it."""

    name: str
    city: str = ""
    postcode: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class Match:
    """The matcher's answer: the centre (or None) and the scores that decided it."""

    pk: object
    score: float
    scores: dict = field(default_factory=dict)  # {centre pk: best score}, near centres


def facility_points(facility: Facility) -> list[tuple[float, float]]:
    """Where the facility may be: the registry's coordinates, else its postcode's
    communes, else the communes of its name (in the overseas department its country says)."""
    if facility.latitude is not None and facility.longitude is not None:
        return [(facility.latitude, facility.longitude)]
    if facility.postcode:
        places = geo.postcode_places(facility.postcode)
        if places:
            return [(p.latitude, p.longitude) for p in places]
    places = geo.commune_places(facility.city) if facility.city else []
    department = OVERSEAS_DEPARTMENTS.get(normalise(facility.country))
    if department:
        places = [p for p in places if p.department == department]
    return [(p.latitude, p.longitude) for p in places]


def best_match(facility: Facility, centres: list[CentreNames]) -> Match:
    """The centre this facility is, among `centres`, or a Match with pk None."""
    points = facility_points(facility)
    if not points:
        return Match(pk=None, score=0.0)
    near = [
        centre
        for centre in centres
        if any(
            geo.distance_km(lat, lon, centre.latitude, centre.longitude) <= RADIUS_KM
            for lat, lon in points
        )
    ]
    scores = {}
    for centre in near:
        places = place_phrases(facility.city, centre.city)
        facility_names = [reduce_name(part, places) for part in name_parts(facility.name)]
        centre_names = [
            reduce_name(part, places) for name in centre.names for part in name_parts(name)
        ]
        scores[centre.pk] = max(
            (score(f, c) for f in facility_names for c in centre_names), default=0.0
        )
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < MATCH_THRESHOLD:
        return Match(pk=None, score=ranked[0][1] if ranked else 0.0, scores=scores)
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - AMBIGUITY_MARGIN:
        return Match(pk=None, score=ranked[0][1], scores=scores)  # two centres fit
    return Match(pk=ranked[0][0], score=ranked[0][1], scores=scores)
