"""Find the public pages by crawling the site, as a visitor would.

Every gate (crawl, accessibility, valid HTML, security headers, hostile input)
runs over the list this module builds, so a page added later is checked as
soon as some page links to it; nobody keeps a list of URLs by hand.

`crawl(get)` starts from "/" and follows every internal link (`<a href>`,
relative or absolute, `webcal://` subscriptions included), plus the submission
URLs of the GET forms the pages offer (with their default values, then with
sample text such as a postcode). It skips /admin/, /static/ and /media/ and
never leaves the site. Non-HTML answers (.ics, .csv, JSON, downloads) are
fetched and status-checked but not parsed. Query strings that pages offer are
kept (filtered directory links, pagination, calendar weeks), bounded per path
so that a "next week" link cannot make the crawl run forever.

The result is a `Crawl`: a list of `CrawledPage(url, status, content_type)`
in discovery order, with more on the side (`linked_from`, `bodies`, `forms`).
The session fixture `crawled_pages` (tests/gates/conftest.py) holds it.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

START = "/"
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")
# Hosts that mean "this site" in absolute links built by the pages.
SITE_HOSTS = frozenset({"testserver", "localhost", "127.0.0.1"})
# Distinct query strings kept per path from links (forms come on top).
MAX_QUERY_VARIANTS = 5
# Hard stop for the whole crawl.
MAX_PAGES = 600
# Sample values typed into the text fields of GET forms: a postcode, then a city.
SAMPLE_TEXTS = ("29200", "Brest")
TEXT_INPUT_TYPES = frozenset({"", "text", "search"})


class CrawledPage(NamedTuple):
    url: str
    status: int
    content_type: str

    @property
    def is_html(self) -> bool:
        return self.content_type.split(";")[0].strip().lower() == "text/html"


class Response(NamedTuple):
    """What the crawl needs from a fetch (see `client_fetcher`)."""

    status: int
    content_type: str
    location: str  # the Location header of a redirect, else ""
    body: bytes


class Crawl(list):
    """The crawled pages, in discovery order, and how each one was found.

    - `linked_from[url]`: the page whose link (or form) led to `url` ("" for "/").
    - `from_form`: URLs that are form submissions, not links.
    - `bodies[url]`: the HTML of each HTML page (decoded), for validators.
    - `forms[url]`: the GET forms found on each page (a list of `Form`).
    - `error_pages`: pages fetched on purpose outside the crawl (the 404 page).
    - `truncated`: True if MAX_PAGES stopped the crawl.
    """

    def __init__(self):
        super().__init__()
        self.linked_from: dict[str, str] = {}
        self.from_form: set[str] = set()
        self.bodies: dict[str, str] = {}
        self.forms: dict[str, list[Form]] = {}
        self.error_pages: list[CrawledPage] = []
        self.truncated = False

    def html_pages(self) -> list[CrawledPage]:
        return [page for page in self if page.is_html]

    def urls(self) -> list[str]:
        return [page.url for page in self]


class Field(NamedTuple):
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str  # the default value sent on submission
    enabled: bool  # False for unchecked boxes: not sent by default


class Form(NamedTuple):
    action: str  # absolute path, with the page's URL as default
    fields: tuple[Field, ...]

    def submissions(self) -> list[str]:
        """URLs a visitor produces: defaults, then each sample text in the text fields."""
        pairs = [(f.name, f.value) for f in self.fields if f.enabled]
        urls = [_with_query(self.action, pairs)]
        if any(f.kind in TEXT_INPUT_TYPES for f in self.fields):
            for sample in SAMPLE_TEXTS:
                filled = [
                    (f.name, sample if f.kind in TEXT_INPUT_TYPES else f.value)
                    for f in self.fields
                    if f.enabled
                ]
                urls.append(_with_query(self.action, filled))
        return urls


class _PageParser(HTMLParser):
    """Collects link targets and GET forms (with their fields' default values)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, list[Field]]] = []
        self._form: list[Field] | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag in ("a", "area"):
            href = a.get("href") or a.get("xlink:href")
            if href:
                self.links.append(href)
            return
        if tag == "form":
            self._form = None
            if a.get("method", "get").lower() == "get":
                self._form = []
                self.forms.append((a.get("action", ""), self._form))
            return
        if tag == "option" and self._select is not None:
            self._end_option()
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            return
        if self._form is None or "disabled" in a or not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                # A named submit button sends its value only when it is the one pressed.
                return
            checkable = kind in ("checkbox", "radio")
            value = a.get("value", "on" if checkable else "")
            self._form.append(Field(a["name"], kind, value, not checkable or "checked" in a))
        elif tag == "select":
            self._select = {"name": a["name"], "first": None, "selected": None}
        elif tag == "textarea":
            self._textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        if self._option is not None:
            self._option["text"] += data

    def _end_option(self):
        option, self._option = self._option, None
        if option is None or self._select is None:
            return
        value = option["value"] if option["value"] is not None else option["text"].strip()
        if self._select["first"] is None:
            self._select["first"] = value
        if option["selected"]:
            self._select["selected"] = value

    def handle_endtag(self, tag):
        if tag == "option":
            self._end_option()
        elif tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            self._end_option()
            s, self._select = self._select, None
            if self._form is not None:
                value = s["selected"] if s["selected"] is not None else (s["first"] or "")
                self._form.append(Field(s["name"], "select", value, True))
        elif tag == "textarea" and self._textarea is not None:
            t, self._textarea = self._textarea, None
            if self._form is not None:
                self._form.append(Field(t["name"], "textarea", t["text"], True))


def internal_path(href: str, base: str) -> str | None:
    """The site path (with query, without fragment) a link points to, or None.

    None for other sites, other schemes (mailto:, tel:, javascript:) and the
    skipped areas (/admin/, /static/, /media/).
    """
    href = href.strip()
    if href.startswith("webcal://"):
        href = "http://" + href[len("webcal://") :]
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https"):
        return None
    if parts.hostname not in SITE_HOSTS:
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return urlunsplit(("", "", path, parts.query, ""))


def _with_query(action: str, pairs: Iterable[tuple[str, str]]) -> str:
    parts = urlsplit(action)
    return urlunsplit(("", "", parts.path, urlencode(list(pairs)), ""))


def _key(url: str) -> tuple[str, tuple]:
    """Same page whatever the order of its query parameters."""
    parts = urlsplit(url)
    return parts.path, tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


def hrefs(html: str) -> list[str]:
    """Every link target of one HTML page as written (mailto:, tel: and other sites
    included), for the checks of links the crawl does not follow."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return [h.strip() for h in parser.links]


def parse_page(html: str, url: str) -> tuple[list[str], list[Form]]:
    """Internal link targets and GET forms of one HTML page."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    links = [p for p in (internal_path(h, url) for h in parser.links) if p is not None]
    forms = []
    for action, fields in parser.forms:
        target = internal_path(action or url, url)
        if target is not None:
            forms.append(Form(urlsplit(target).path, tuple(fields)))
    return links, forms


def crawl(
    fetch: Callable[[str], Response],
    start: str = START,
    *,
    max_pages: int = MAX_PAGES,
    max_query_variants: int = MAX_QUERY_VARIANTS,
) -> Crawl:
    """Breadth-first crawl of the site through `fetch(url) -> Response`."""
    result = Crawl()
    seen: set[tuple[str, tuple]] = {_key(start)}
    variants: Counter[str] = Counter()
    queue: deque[str] = deque([start])
    result.linked_from[start] = ""

    def offer(url: str, source: str, *, form: bool = False) -> None:
        key = _key(url)
        if key in seen:
            return
        path, query = key
        if query and not form:
            if variants[path] >= max_query_variants:
                return
            variants[path] += 1
        seen.add(key)
        result.linked_from[url] = source
        if form:
            result.from_form.add(url)
        queue.append(url)

    while queue:
        if len(result) >= max_pages:
            result.truncated = True
            break
        url = queue.popleft()
        response = fetch(url)
        page = CrawledPage(url, response.status, response.content_type)
        result.append(page)
        if 300 <= response.status < 400 and response.location:
            target = internal_path(response.location, url)
            if target is not None:
                offer(target, url)
            continue
        if not page.is_html:
            continue
        html = response.body.decode("utf-8", errors="replace")
        result.bodies[url] = html
        links, forms = parse_page(html, url)
        result.forms[url] = forms
        for link in links:
            offer(link, url)
        for form in forms:
            for submission in form.submissions():
                offer(submission, url, form=True)
    return result


def client_fetcher(client) -> Callable[[str], Response]:
    """A `fetch` for `crawl` built on Django's test Client (no redirect following)."""

    def fetch(url: str) -> Response:
        response = client.get(url)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        response.close()
        return Response(
            response.status_code,
            response.headers.get("Content-Type", ""),
            response.headers.get("Location", ""),
            body,
        )

    return fetch
