"""The crawl: every page the site links to answers, and the crawler itself behaves."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from centres.models import Centre

from .crawl import MAX_QUERY_VARIANTS, Response, crawl, internal_path, parse_page

# Route names that are on purpose reachable only by typing or by a program.
UNLINKED_ON_PURPOSE: set[str] = {
    # The JSON API, for programs (its documentation page and index are linked;
    # schemathesis drives every operation: tests/opendata/test_api_schemathesis.py).
    "api:axes",
    "api:regions",
    "api:departments",
    "api:centres",
    "api:centre",
    "api:people",
    "api:rcps",
    "api:rcp",
    "api:trials",
    "api:trial",
    "api:not_found",
    # For search engines, which find them by convention (tests/pantogether/test_seo.py).
    "sitemap",
    "robots",
}
# URL prefixes of the back-office and files, which the crawl skips.
NOT_PUBLIC = ("admin/", "static/", "media/", "^media/")


def _problems(crawled_pages, *, forms: bool):
    for page in crawled_pages:
        is_form = page.url in crawled_pages.from_form
        if is_form != forms:
            continue
        # A form filled with sample text may be rejected (400) with a page
        # explaining why; any link, and any form, must not lead to 404 or 5xx.
        bad = page.status == 404 or page.status >= 500 or (not forms and page.status >= 400)
        if bad:
            source = crawled_pages.linked_from[page.url]
            yield f"{page.url} answers {page.status}, linked from {source}"


def test_every_page_linked_from_the_site_answers(crawled_pages):
    assert not crawled_pages.truncated, "the crawl hit its page limit: raise MAX_PAGES"
    problems = list(_problems(crawled_pages, forms=False))
    assert not problems, "Broken links:\n" + "\n".join(problems)


def test_every_form_submission_answers_without_404_or_server_error(crawled_pages):
    assert crawled_pages.from_form, "no GET form was found on the site"
    problems = list(_problems(crawled_pages, forms=True))
    assert not problems, "Broken form submissions:\n" + "\n".join(problems)


def test_crawl_reaches_every_published_centre_and_searches_by_postcode(crawled_pages, db):
    urls = set(crawled_pages.urls())
    missing = [c.get_absolute_url() for c in Centre.objects.published()]
    missing = [url for url in missing if url not in urls]
    assert not missing, f"centre pages no page links to: {missing}"
    nearest = [
        p for p in crawled_pages if p.url.startswith("/centres/?") and "pres_de=29200" in p.url
    ]
    assert nearest and all(p.status == 200 for p in nearest)


def _public_patterns(resolver=None, prefix=""):
    """(route, name) of every public URL pattern, nested includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(entry, URLResolver):
            yield from _public_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if resolver.namespace and name:
                name = f"{resolver.namespace}:{name}"
            yield route, name, entry


def test_every_public_url_pattern_is_reached_by_the_crawl(crawled_pages):
    """A page nothing links to escapes every gate: it must be linked, or listed here."""
    resolver = get_resolver()
    reached = set()
    for url in crawled_pages.urls():
        match = resolver.resolve(url.split("?")[0])
        reached.add(match.view_name)
    missing = [
        f"{route} ({name})"
        for route, name, _ in _public_patterns()
        if name not in reached and name not in UNLINKED_ON_PURPOSE
    ]
    assert not missing, "URL patterns no crawled page reaches:\n" + "\n".join(missing)


# --- The crawler on a small fake site ------------------------------------------------

FAKE_SITE = {
    "/": """<a href="/a/">A</a> <a href="b/">B</a> <a href="http://testserver/c/#top">C</a>
        <a href="https://example.org/">away</a> <a href="mailto:x@example.org">mail</a>
        <a href="/admin/">admin</a> <a href="/static/x.css">css</a> <a href="tel:+33">tel</a>
        <a href="webcal://testserver/agenda.ics">calendar</a> <a href="/gone/">gone</a>""",
    "/a/": """<a href="/week/?w=1">next week</a>
        <form action="/search/"><label>Près de <input name="near"></label>
        <select name="axis"><option value="">all</option><option value="p" selected>P</option>
        </select><input type="checkbox" name="open" value="1">
        <input type="hidden" name="h" value="x"><button name="go">Go</button></form>
        <form method="post" action="/login/"><input name="user"></form>""",
    "/b/": '<a href="/moved/">moved</a>',
    "/c/": "",
    "/search/": "",
    "/new/": "",
}


def fake_fetch(url):
    path, _, query = url.partition("?")
    if path == "/week/":
        week = int(query.split("=")[1])
        return Response(200, "text/html", "", f'<a href="/week/?w={week + 1}">next</a>'.encode())
    if path == "/agenda.ics":
        return Response(200, "text/calendar", "", b'BEGIN:VCALENDAR <a href="/never/">')
    if path == "/moved/":
        return Response(301, "text/html", "/new/", b"")
    if path in FAKE_SITE:
        return Response(200, "text/html; charset=utf-8", "", FAKE_SITE[path].encode())
    return Response(404, "text/html", "", b"")


def test_crawler_follows_internal_links_forms_and_redirects_and_stops_on_endless_links():
    result = crawl(fake_fetch)
    urls = result.urls()
    assert {"/", "/a/", "/b/", "/c/", "/agenda.ics", "/gone/", "/moved/", "/new/"} <= set(urls)
    assert not [u for u in urls if u.startswith(("/admin", "/static", "/never"))]
    assert len([u for u in urls if u.startswith("/week/")]) == MAX_QUERY_VARIANTS
    assert result.linked_from["/gone/"] == "/" and result.linked_from["/new/"] == "/moved/"
    assert "/agenda.ics" not in result.bodies and "/a/" in result.bodies
    assert {
        "/search/?near=&axis=p&h=x",
        "/search/?near=29200&axis=p&h=x",
        "/search/?near=Brest&axis=p&h=x",
    } <= result.from_form
    assert not [u for u in urls if u.startswith("/login/")]
    assert dict((p.url, p.status) for p in result)["/gone/"] == 404


def test_crawler_stops_at_its_page_limit():
    result = crawl(fake_fetch, max_pages=3)
    assert len(result) == 3 and result.truncated


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("../x/?a=1#f", "/centres/x/?a=1"),
        ("https://localhost/y/", "/y/"),
        ("//example.org/", None),
        ("javascript:void(0)", None),
        ("/media/centres/a.jpg", None),
    ],
)
def test_internal_path_keeps_this_site_only(href, expected):
    assert internal_path(href, "/centres/brest/") == expected


def test_option_without_value_submits_its_text():
    _, forms = parse_page(
        '<form><select name="s"><option>Un<option selected>Deux</select></form>', "/p/"
    )
    assert forms[0].submissions() == ["/p/?s=Deux"]
