"""Hostile query strings on every crawled page and every GET form: no 5xx, no raw echo.

Three passes, bounded in time so that the gates stay fast:

1. every crawled path once, with one query string packing the nastiest
   values (NUL bytes, invalid UTF-8 escapes, markup, a huge and a negative
   page number, repeated parameters, a 10,000-character value);
2. every GET form (its field names read from the HTML) and, for each kind of
   page (URL route), the `page` parameter: each hostile value in turn;
3. hypothesis: random mixes of field names and hostile or random values on
   random pages.

A response must not be a server error (5xx), and an HTML response must not
contain any of the markup we sent unescaped. PostgreSQL refuses NUL bytes in
text where SQLite accepts them: CI runs this on both.
"""

from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Sent as text (percent-encoded on the way).
MARKUP = ("<script>x</script>", '"><img src=x onerror=1>', "'><svg onload=alert(1)>")
HOSTILE_TEXT = (
    *MARKUP,
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "' OR '1'='1' --",
    '"; DROP TABLE centres_centre; --',
    "%",
    "\\",
    "{{ 7|add:7 }}{% debug %}",
    "../../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999999999",
    "-99999999999999999999",
    "1e308",
    "NaN",
    "Infinity",
    "１２３",  # full-width digits
    "\u202e\u200b",
    "\ud7ff\U0010ffff",
    "2024-13-45",
    "00000",
    " ",
)
# Put in the query string as they are: broken escapes and invalid UTF-8.
HOSTILE_RAW = ("%ff%fe", "%c3%28", "%00", "%zz", "%", "%e2%82", "%ED%A0%80")
# One of each kind, sent to each form field on its own (the full list costs too much).
PER_FIELD_TEXT = (MARKUP[1], "\x00", "x" * 10_000, "-1", "99999999999999999999999999")
PER_FIELD_RAW = ("%ff%fe",)
# Sent after a harmless first value of the same parameter.
REPEATED = "%00&{name}=" + quote(MARKUP[0])
PAGE_NUMBERS = ("-1", "0", "99999999999999999999", "%00", "%ff", "1.5")
# Parameters every page may receive, whatever its forms.
COMMON_PARAMS = ("page", "q")
PACKED = "&".join(
    [
        "page=-1",
        "page=99999999999999999999",
        "q=" + quote(MARKUP[0]),
        "q=" + quote(MARKUP[1]),
        "x=%ff%fe%00",
        "axe=%00",
        "y=" + "z" * 10_000,
    ]
)


def encode(value: str) -> str:
    return quote(value, safe="", errors="surrogatepass")


def problems(client: Client, url: str) -> list[str]:
    response = client.get(url)
    if response.streaming:  # a download: read it, which closes the file
        b"".join(response.streaming_content)
    found = []
    shown = url if len(url) < 200 else url[:200] + "…"
    if response.status_code >= 500:
        found.append(f"{shown}: {response.status_code}")
    content_type = response.headers.get("Content-Type", "")
    if content_type.startswith("text/html"):
        body = response.content.decode("utf-8", errors="replace")
        for markup in MARKUP:
            if markup in body:
                found.append(f"{shown}: echoes {markup!r} unescaped")
    return found


def with_query(url: str, query: str) -> str:
    return f"{urlsplit(url).path}?{query}"


def routes(crawled_pages) -> dict[str, str]:
    """One crawled URL per URL route (the first one found)."""
    found = {}
    for page in crawled_pages:
        path = urlsplit(page.url).path
        found.setdefault(resolve(path).route, page.url)
    return found


def forms(crawled_pages) -> list[tuple[str, list[str]]]:
    """The GET forms of the site: (action, every field name a form there sends)."""
    found: dict[str, dict[str, None]] = {}
    for page_forms in crawled_pages.forms.values():
        for form in page_forms:
            found.setdefault(form.action, {}).update(dict.fromkeys(f.name for f in form.fields))
    return [(action, list(names)) for action, names in found.items()]


def test_every_page_survives_a_packed_hostile_query(crawled_pages, db):
    client = Client()
    paths = dict.fromkeys(urlsplit(p.url).path for p in crawled_pages)
    found = [p for path in paths for p in problems(client, f"{path}?{PACKED}")]
    assert len(paths) > 5
    assert not found, "\n".join(found)


def test_every_form_field_and_page_number_survives_each_hostile_value(crawled_pages, db):
    client = Client()
    every_value = [encode(v) for v in HOSTILE_TEXT] + list(HOSTILE_RAW)
    per_field = [encode(v) for v in PER_FIELD_TEXT] + list(PER_FIELD_RAW)
    urls = []
    for action, names in forms(crawled_pages):
        # Each value in every field at once...
        urls += [
            with_query(action, "&".join(f"{encode(n)}={v}" for n in names)) for v in every_value
        ]
        # ...then field by field (a value rejected by one field must not hide
        # what another field does with it), and repeated after a harmless value.
        for name in names:
            urls += [with_query(action, f"{encode(name)}={v}") for v in per_field]
            repeated = REPEATED.format(name=encode(name))
            urls.append(with_query(action, f"{encode(name)}=1&{encode(name)}={repeated}"))
    assert urls, "no GET form found on the site"
    # Each kind of page (URL route) with hostile page numbers and search text.
    for url in routes(crawled_pages).values():
        urls += [with_query(url, f"page={v}") for v in PAGE_NUMBERS]
        urls += [with_query(url, f"q={encode(m)}&page=1&page=-1") for m in MARKUP]
    found = [p for url in urls for p in problems(client, url)]
    assert not found, "\n".join(sorted(set(found)))


@pytest.fixture(scope="module")
def targets(crawled_pages):
    """(URL, parameter names) for hypothesis: every route, every form."""
    names = set(COMMON_PARAMS)
    for _action, form_names in forms(crawled_pages):
        names.update(form_names)
    urls = list(routes(crawled_pages).values())
    urls += [action for action, _ in forms(crawled_pages)]
    return sorted(set(urls)), sorted(names)


values = st.one_of(
    st.sampled_from(HOSTILE_TEXT).map(encode),
    st.sampled_from(HOSTILE_RAW),
    st.text(max_size=40).map(encode),
    st.integers().map(str),
    st.floats().map(str),
    st.binary(max_size=12).map(lambda b: "".join(f"%{c:02x}" for c in b)),
)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_hostile_queries_never_break_a_page(targets, db, data):
    urls, names = targets
    url = data.draw(st.sampled_from(urls), label="url")
    params = data.draw(
        st.lists(
            st.tuples(st.sampled_from(names + ["inconnu", ""]), values), min_size=1, max_size=6
        ),
        label="params",
    )
    query = "&".join(f"{encode(name)}={value}" for name, value in params)
    found = problems(Client(), with_query(url, query))
    assert not found, "\n".join(found)
