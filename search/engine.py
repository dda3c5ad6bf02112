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
more when its words match nothing (the keys of the similar rows, then the
best of them if there are some) and, once for all such kinds, the
misspelling search's settings and transaction; three on SQLite
(candidates, hits, count); plus the kind's prefetch when it has hits:
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
from django.db import connection, transaction
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
    # The columns a hit reads (`hit`, `shape`'s relations), the only ones
    # loaded: the database carries them for every row matched through the
    # count and the sort (with their 46 columns, 1,700 trials matched took
    # twice as long to rank). Empty: all of them.
    fields = ()

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
    fields = ("name", "slug", "kind", "city")

    def queryset(self):
        return Centre.objects.published()

    def title_of(self, obj):
        return obj.name

    def hit(self, obj):
        return Hit(obj.name, obj.get_absolute_url(), f"{obj.get_kind_display()} · {obj.city}")

    def more_url(self, text):
        return f"{reverse('centres:directory')}?{_q(text)}"


class People(Kind):
    config = "simple"
    fields = ("title", "first_name", "last_name", "specialty")

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
    fields = ("name", "slug", "scope", "organiser__name", "organiser__short_name")

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
    fields = ("plain_title", "brief_title", "acronym", "status", "nct_number")

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
    fields = ("title", "slug", "published_on")

    def queryset(self):
        return NewsItem.objects.published()

    def title_of(self, obj):
        return obj.title

    def hit(self, obj):
        return Hit(obj.title, obj.get_absolute_url(), format_date(obj.published_on))


class Documents(Kind):
    fields = ("title", "slug", "category", "file")

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
    kinds = [kind for kind in KINDS if not only or kind.slug == only]
    if connection.vendor == "postgresql":
        found = _postgresql(kinds, words, limit)
    else:
        found = [_sqlite(kind, words, limit) for kind in kinds]
    return [
        Group(kind.slug, kind.label, total, [kind.hit(obj) for obj in objects], kind.more_url(text))
        for kind, (objects, total) in zip(kinds, found, strict=True)
    ]


def _postgresql(kinds: list[Kind], words: list[str], limit: int) -> list[tuple[list, int]]:
    """Each kind's best hits and how many matched: the words (as typed or
    stemmed) against the rows' stored vectors (search/migrations/0005), ranked
    by ts_rank, one query per kind. Only for the kinds where they match no
    row, perhaps misspelt, similar words (trigrams): the keys of the similar
    rows, one query per kind, then the best of them, one more query for the
    kinds that have some.

    The similar rows' keys are read with sequential scans off: from the
    trigram index, rather than by computing the word similarity of each row
    of the table. Left to itself the planner did that (60 ms over 10,000
    people, 80 ms over 5,000 trials, when the index answers in 1 to 3, and
    in 30 where 1,700 trials match): it counts the function as cheap, and a
    GIN index not vacuumed since its rows were loaded as dear. Each of these
    queries reads one table, which no other index serves; the settings last
    until the end of the transaction (this one, or the caller's if any)."""
    text = " ".join(words)
    querysets = {kind: kind.queryset() for kind in kinds}
    found = {kind: _matching(kind, querysets[kind], text, limit) for kind in kinds}
    misspelt = [kind for kind in kinds if not found[kind]]
    if misspelt:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true), "
                "set_config('enable_seqscan', 'off', true)",
                [str(SIMILARITY)],
            )
            similar = {kind: _similar_keys(kind, querysets[kind].model, text) for kind in misspelt}
        for kind in misspelt:
            if similar[kind]:
                found[kind] = _best(
                    kind,
                    # The keys as one array, not a parameter each (thousands, at times).
                    querysets[kind].filter(
                        pk__in=RawSQL("SELECT unnest(%s::bigint[])", [similar[kind]])
                    ),
                    TrigramWordSimilarity(Value(text), kind.text()),
                    limit,
                )
    return [(found[kind], found[kind][0].search_total if found[kind] else 0) for kind in kinds]


def _matching(kind: Kind, queryset, text: str, limit: int) -> list:
    """The best rows whose stored vector matches the words."""
    query = SearchQuery(text, config=kind.config, search_type="plain")
    vector = RawSQL(
        f'"{queryset.model._meta.db_table}"."search_vector"', [], output_field=SearchVectorField()
    )
    return _best(
        kind,
        queryset.alias(document=vector).filter(document=query),
        SearchRank(vector, query),
        limit,
    )


def _similar_keys(kind: Kind, model, text: str) -> list:
    """The keys of the rows (all of the table: published or not) whose text
    holds words similar to `text` (pg_trgm's `%>`)."""
    similar = model._base_manager.filter(WordSimilar(kind.text(), Value(text)))
    return list(similar.order_by().values_list("pk", flat=True))


def _best(kind: Kind, matched, score, limit: int) -> list:
    """The `limit` best rows of `matched` by `score`, each with the number of
    rows matched (a window count: the same query, not a second one)."""
    if kind.fields:
        matched = matched.only(*kind.fields)
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
