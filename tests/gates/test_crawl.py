"""The crawl: every page the site links to answers, and the crawler itself behaves."""

import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import URLPattern, URLResolver, get_resolver

from centres.models import Centre

from .crawl import MAX_QUERY_VARIANTS, Response, crawl, hrefs, internal_path, parse_page

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
    "sitemap_section",
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


# --- What the site added for issue 12: contact page, error reports, freshness ------

# Pages of one thing, each with « Signaler une erreur » (templates/includes/report_error.html).
REPORTED_PAGES = ("centres:detail", "rcp:detail", "trials:detail")
# Pages that say when their facts were last updated (templates/includes/freshness.html).
FRESH_PAGES = ("centres:detail", "rcp:detail")
REPORT_SUBJECT = "Signaler une erreur\u00a0: "
MAILTO_FIELDS = frozenset({"subject", "body", "cc", "bcc"})
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")


def _pages_of(crawled_pages, view_names):
    """(url, html) of the crawled HTML pages answered by those views."""
    resolver = get_resolver()
    for page in crawled_pages.html_pages():
        if page.status == 200 and "?" not in page.url:
            if resolver.resolve(page.url).view_name in view_names:
                yield page.url, crawled_pages.bodies[page.url]


def _plain(text: str) -> str:
    return " ".join(html.unescape(TAG.sub("", text)).split())


def mailto_problems(href: str) -> list[str]:
    """What is wrong with a `mailto:` URL as RFC 6068 writes it: an address that is
    not one, characters left unencoded, a field that is not a header, "+" for a space."""
    problems = []
    if re.search(r"[\s<>\"]", href):
        problems.append("unencoded space, line break or quote")
    parts = urlsplit(href)
    if parts.scheme != "mailto" or parts.fragment:
        problems.append("not a plain mailto: URL")
    addresses = [unquote(a) for a in parts.path.split(",")]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            problems.append(f"not an e-mail address: {address!r}")
    if parts.query:
        if "+" in parts.query:
            problems.append('"+" in the fields (a space is %20 in a mailto: URL)')
        try:
            fields = parse_qs(parts.query, strict_parsing=True, errors="strict")
        except (ValueError, UnicodeDecodeError) as error:
            problems.append(f"fields do not parse: {error}")
        else:
            unknown = set(fields) - MAILTO_FIELDS
            if unknown:
                problems.append(f"unknown fields {sorted(unknown)}")
            if any(len(values) > 1 for values in fields.values()):
                problems.append("a field given twice")
    return problems


def test_crawl_never_fetches_a_mailto_link_as_a_page(crawled_pages):
    fetched = [url for url in crawled_pages.urls() if "mailto" in url or "@" in url]
    assert not fetched, f"mailto: links crawled as pages: {fetched}"
    assert any(
        href.startswith("mailto:") for body in crawled_pages.bodies.values() for href in hrefs(body)
    ), "no mailto: link on the crawled pages"


def test_every_mailto_link_on_the_site_is_well_formed(crawled_pages):
    problems = [
        f"{url}: {href} ({'; '.join(found)})"
        for url, body in crawled_pages.bodies.items()
        for href in hrefs(body)
        if href.lower().startswith("mailto:")
        for found in [mailto_problems(href)]
        if found
    ]
    assert not problems, "Malformed mailto: links:\n" + "\n".join(problems)


def test_every_report_link_names_its_page_in_subject_and_body(crawled_pages):
    """« Signaler une erreur » on each centre, RCP and trial page: one mailto: link
    whose subject is the page's title and whose body holds its absolute URL."""
    checked, problems = {name: 0 for name in REPORTED_PAGES}, []
    resolver = get_resolver()
    for url, body in _pages_of(crawled_pages, REPORTED_PAGES):
        checked[resolver.resolve(url).view_name] += 1
        reports = []
        for href in hrefs(body):
            if href.startswith("mailto:"):
                fields = parse_qs(urlsplit(href).query)
                if fields.get("subject", [""])[0].startswith(REPORT_SUBJECT):
                    reports.append(fields)
        if len(reports) != 1:
            problems.append(f"{url}: {len(reports)} « Signaler une erreur » links")
            continue
        subject, body_text = reports[0]["subject"][0], reports[0].get("body", [""])[0]
        title = _plain(H1.search(body).group(1))
        if " ".join(subject.split()) != " ".join((REPORT_SUBJECT + title).split()):
            problems.append(f"{url}: subject {subject!r}, title {title!r}")
        if f"http://testserver{url}\r\n" not in body_text:
            problems.append(f"{url}: the body does not give the page's address: {body_text!r}")
        if "\n" in body_text.replace("\r\n", ""):
            problems.append(f"{url}: a bare line break in the body")
    assert all(checked.values()), f"pages of a kind the crawl never reached: {checked}"
    assert not problems, "Error reports:\n" + "\n".join(problems)


def test_contact_page_is_reached_and_gives_the_network_address(crawled_pages, settings):
    page = next((p for p in crawled_pages if p.url == "/contact/"), None)
    assert page is not None and page.status == 200, "the crawl does not reach /contact/"
    addresses = [
        unquote(urlsplit(href).path)
        for href in hrefs(crawled_pages.bodies["/contact/"])
        if href.startswith("mailto:")
    ]
    assert settings.NETWORK_EMAIL in addresses


def test_centre_and_rcp_pages_say_when_they_were_updated(crawled_pages):
    checked, missing = {name: 0 for name in FRESH_PAGES}, []
    resolver = get_resolver()
    for url, body in _pages_of(crawled_pages, FRESH_PAGES):
        checked[resolver.resolve(url).view_name] += 1
        line = re.search(r'<p class="reviewed freshness[^"]*">(.*?)</p>', body, re.S)
        text = _plain(line.group(1)) if line else ""
        if not re.match(r"(Mis à jour le|Informations à vérifier) .*\d{4}", text):
            missing.append(f"{url}: {text!r}")
    assert all(checked.values()), f"pages of a kind the crawl never reached: {checked}"
    assert not missing, "Pages without their freshness line:\n" + "\n".join(missing)


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


@pytest.mark.parametrize(
    ("href", "problem"),
    [
        ("mailto:a@example.org?subject=Signaler%20une%20erreur&body=L1%0D%0AL2", None),
        ("mailto:a@example.org", None),
        ("mailto:a@example.org?subject=Signaler+une+erreur", '"+"'),
        ("mailto:a@example.org?subject=Deux mots", "unencoded"),
        ("mailto:pas-une-adresse?subject=x", "not an e-mail address"),
        ("mailto:a@example.org?sujet=x", "unknown fields"),
        ("mailto:a@example.org?subject=%E9t%E9", "fields do not parse"),
    ],
)
def test_mailto_problems_reads_rfc_6068(href, problem):
    found = mailto_problems(href)
    if problem is None:
        assert found == []
    else:
        assert any(problem in p for p in found), found
