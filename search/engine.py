"""One search over the whole site: centres, people, RCPs, trials, news, documents.

`search(text)` gives one `Group` per kind, its best hits first and how many
matched, whatever the database. Two paths behind that one interface:

- PostgreSQL: full-text search with the French configuration (stemming:
  « pancréatique » finds « pancréas ») on the accent-free copies every model
  keeps (`search_text`, written by core.text.normalise, which unaccent would
  give too), ranked by ts_rank, plus trigram word similarity so that a
  misspelt word (« pancras », « Metgès ») still finds its row; people's names
  go through the unaccent extension and the 'simple' configuration (names
  are not stemmed).
- SQLite (development and tests): every word must be in the accent-free copy
  (as the listings' own searches do), ranked in Python by the words found in
  the title; no stemming, no misspelling.

Each kind costs one query on PostgreSQL (its hits with their count), two
when its words match nothing (the misspelling search), and three on SQLite
(candidates, hits, count), plus the kind's prefetch when it has hits:
constant whatever the data.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import BooleanField, Count, F, Func, Prefetch, TextField, Value, Window
from django.db.models.expressions import RawSQL
from django.urls import reverse

from centres.models import Centre
from content.models import Document, NewsItem
from core.dates import format_date
from core.text import normalise, query_words
from opendata.people import public_people, public_roles
from rcp.models import Rcp
from trials.models import Trial

HITS_PER_KIND = 5
MORE_PER_KIND = 50
CANDIDATES = 200  # SQLite: rows ranked in Python per kind
SIMILARITY = 0.5  # PostgreSQL: trigram word similarity that counts as a match
STOP_WORDS = frozenset("a au aux d de des du en et l la le les ou sur un une".split())


@dataclass
class Hit:
    title: str
    url: str | None
    detail: str = ""


@dataclass
class Group:
    kind: str
    label: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    more_url: str | None = None  # the kind's own listing with the same words


class PersonText(Func):
    """A person's name and specialty, lower-case and accent-free, exactly as the
    PostgreSQL index of search/migrations/0003 computes it."""

    template = "pantogether_unaccent(lower(%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self):
        super().__init__(F("first_name"), F("last_name"), F("specialty"))


class WordSimilar(Func):
    """`text %> words`: the words are similar to some part of the text (pg_trgm,
    threshold pg_trgm.word_similarity_threshold); a trigram index serves it."""

    template = "%(expressions)s"
    arg_joiner = " %%> "
    output_field = BooleanField()


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str

    def queryset(self):
        raise NotImplementedError

    def text(self):
        """The accent-free text searched (an expression)."""
        return F("search_text")

    config = "french"

    def title_of(self, obj) -> str:
        return str(obj)

    def hit(self, obj) -> Hit:
        return Hit(self.title_of(obj), obj.get_absolute_url())

    def shape(self, queryset):
        return queryset

    def more_url(self, text: str) -> str | None:
        return None


class Centres(Kind):
    def queryset(self):
        return Centre.objects.published()

    def title_of(self, obj):
        return obj.name

    def shape(self, queryset):
        return queryset.select_related("department")

    def hit(self, obj):
        return Hit(obj.name, obj.get_absolute_url(), f"{obj.get_kind_display()} · {obj.city}")

    def more_url(self, text):
        return f"{reverse('centres:directory')}?{_q(text)}"


class People(Kind):
    config = "simple"

    def queryset(self):
        return public_people()

    def text(self):
        return PersonText()

    def shape(self, queryset):
        return queryset.prefetch_related(
            Prefetch(
                "roles",
                queryset=public_roles()
                .filter(centre__isnull=False)
                .select_related("centre")
                .order_by("order", "pk"),
                to_attr="centre_roles",
            )
        )

    def hit(self, obj):
        role = obj.centre_roles[0] if obj.centre_roles else None
        where = f"{role.get_kind_display()}, {role.centre}" if role else ""
        detail = " · ".join(part for part in (obj.specialty, where) if part)
        return Hit(str(obj), role.centre.get_absolute_url() if role else None, detail)


class Rcps(Kind):
    def queryset(self):
        return Rcp.objects.published()

    def title_of(self, obj):
        return obj.name

    def shape(self, queryset):
        return queryset.select_related("organiser")

    def hit(self, obj):
        return Hit(obj.name, obj.get_absolute_url(), f"{obj.get_scope_display()} · {obj.organiser}")

    def more_url(self, text):
        return f"{reverse('rcp:directory')}?{_q(text)}"


class Trials(Kind):
    def queryset(self):
        return Trial.objects.published()

    def title_of(self, obj):
        return obj.display_title

    def hit(self, obj):
        detail = " · ".join(p for p in (obj.acronym, obj.get_status_display(), obj.nct_number) if p)
        return Hit(obj.display_title, obj.get_absolute_url(), detail)

    def more_url(self, text):
        return f"{reverse('trials:finder')}?{_q(text)}&statut=tous"


class News(Kind):
    def queryset(self):
        return NewsItem.objects.published()

    def title_of(self, obj):
        return obj.title

    def hit(self, obj):
        return Hit(obj.title, obj.get_absolute_url(), format_date(obj.published_on))


class Documents(Kind):
    def queryset(self):
        return Document.objects.published()

    def title_of(self, obj):
        return obj.title

    def hit(self, obj):
        return Hit(
            obj.title,
            obj.get_absolute_url(),
            f"{obj.get_category_display()} · {obj.extension.upper()}",
        )


KINDS = (
    Centres("centres", "Centres"),
    People("personnes", "Personnes"),
    Rcps("rcp", "RCP"),
    Trials("essais", "Essais cliniques"),
    News("actualites", "Actualités"),
    Documents("documents", "Documents"),
)
KIND_CHOICES = [(kind.slug, kind.label) for kind in KINDS]


def _q(text: str) -> str:
    return urlencode({"q": text})


def words_of(text: str) -> list[str]:
    words = query_words(text)
    return [w for w in words if w not in STOP_WORDS] or words


def search(text: str, *, only: str | None = None) -> list[Group]:
    """One group per kind (or only the kind `only`, with more hits), best first."""
    words = words_of(text)
    if not words:
        return []
    limit = MORE_PER_KIND if only else HITS_PER_KIND
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the connection's, for this search
            cursor.execute("SET pg_trgm.word_similarity_threshold = %s", [SIMILARITY])
    groups = []
    for kind in KINDS:
        if only and kind.slug != only:
            continue
        if connection.vendor == "postgresql":
            objects, total = _postgresql(kind, words, limit)
        else:
            objects, total = _sqlite(kind, words, limit)
        groups.append(
            Group(
                kind.slug,
                kind.label,
                total,
                [kind.hit(obj) for obj in objects],
                kind.more_url(text),
            )
        )
    return groups


def _postgresql(kind: Kind, words: list[str], limit: int):
    """The best hits and how many matched, in one query: the words (as typed
    or stemmed) against the row's stored vector (search/migrations/0005),
    ranked by ts_rank. Only when they match no row of this kind, perhaps
    misspelt, a second query looks for similar words (trigrams, an index)."""
    text = " ".join(words)
    query = SearchQuery(text, config=kind.config, search_type="plain")
    vector = RawSQL(
        f'"{kind.queryset().model._meta.db_table}"."search_vector"',
        [],
        output_field=SearchVectorField(),
    )
    found = _best(
        kind,
        kind.queryset().alias(document=vector).filter(document=query),
        SearchRank(vector, query),
        limit,
    )
    if not found:
        expression = kind.text()
        found = _best(
            kind,
            kind.queryset().filter(WordSimilar(expression, Value(text))),
            TrigramWordSimilarity(Value(text), expression),
            limit,
        )
    return found, found[0].search_total if found else 0


def _best(kind: Kind, matched, score, limit: int) -> list:
    """The `limit` best rows of `matched` by `score`, each with the number of
    rows matched (a window count: the same query, not a second one)."""
    ranked = matched.annotate(search_total=Window(Count("pk")), score=score)
    return list(kind.shape(ranked.order_by("-score", "pk"))[:limit])


def _sqlite(kind: Kind, words: list[str], limit: int):
    queryset = kind.queryset()
    if isinstance(kind, People):
        # Names are not kept accent-free in the database: normalised here.
        rows = queryset.values_list("pk", "first_name", "last_name", "specialty")
        scored = []
        for pk, first, last, specialty in rows:
            haystack = normalise(f"{first} {last} {specialty}")
            if all(word in haystack for word in words):
                name = normalise(f"{first} {last}").split()
                scored.append((-sum(w in name for w in words), normalise(last), pk))
        total = len(scored)
    else:
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        total = queryset.count()
        title_field = {"centres": "name", "rcp": "name", "essais": "plain_title"}.get(
            kind.slug, "title"
        )
        extra = ("brief_title",) if kind.slug == "essais" else ()
        scored = []
        for pk, title, *more in queryset.order_by("pk").values_list("pk", title_field, *extra)[
            :CANDIDATES
        ]:
            title_words = normalise(" ".join([title, *more])).split()
            scored.append((-sum(w in title_words for w in words), normalise(title), pk))
    scored.sort()
    chosen = [pk for _score, _title, pk in scored[:limit]]
    found = kind.shape(kind.queryset().filter(pk__in=chosen)).in_bulk(chosen)
    return [found[pk] for pk in chosen if pk in found], total
