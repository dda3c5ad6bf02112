"""Text: normalisation for accent- and case-insensitive search, French typography.

The same normalised form is stored (`Centre.search_text`, `Rcp.search_text`...)
and computed for the query, so a plain `contains` gives the same results on
SQLite and PostgreSQL.
"""

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Common abbreviations in French place and hospital names.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "chu": "chu", "ch": "ch"}


def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("Saint-Étienne" -> "saint etienne")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    words = _NON_ALNUM.sub(" ", ascii_text.lower()).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


@lru_cache(maxsize=16384)
def sort_key(text: str) -> str:
    """The key French readers sort names by: case, accents and punctuation
    ignored ("CHU de Besançon" before "CHU Pitié", "Hôpital" among the H).

    Kept per process: a directory page sorts a thousand names per request,
    and names seldom change (a bounded cache, so edits never make it grow far).
    """
    return normalise(text)


def query_words(text: str, limit: int = 8) -> list[str]:
    """The distinct normalised words of a query, at most `limit` of them."""
    seen: list[str] = []
    for word in normalise(text).split():
        if word not in seen:
            seen.append(word)
    return seen[:limit]


NBSP = "\u00a0"  # before « : » and inside « guillemets »
NNBSP = "\u202f"  # narrow, before « ; ? ! » and « % »
_TYPO = [(" :", NBSP + ":"), (" ;", NNBSP + ";"), (" ?", NNBSP + "?"), (" !", NNBSP + "!")]
_TYPO += [("« ", "«" + NBSP), (" »", NBSP + "»")]


def typo(text: str) -> str:
    """French typography: no-break spaces before : ; ? ! and inside « »."""
    for plain, fine in _TYPO:
        text = text.replace(plain, fine)
    return text


# "Y" counts as a vowel before a name ("d’Yerres", "d’Yvetot").
_ELIDING = frozenset("AEIOUYÂÊÎÔÛÉÈÀÄËÏÖÜŒaeiouyâêîôûéèàäëïöüœ")


def with_de(name: object) -> str:
    """ "de Brest", "d’Ajaccio", "d’Yerres"; "de Haguenau" (h is left alone: mute or
    aspirated, only a dictionary knows)."""
    name = str(name).strip()
    if name[:1] in _ELIDING:
        return f"d’{name}"
    return f"de {name}"
