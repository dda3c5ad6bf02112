"""Every crawled public page passes the French proof-reader (typography.py).

No-break spaces before : ; ! ? » and after «, between a number and its unit,
"1er" for the first of a month, elision before a vowel ("d’Ajaccio"). The
text read is the page's text and the attributes a reader or a screen reader
is given (title, alt, aria-label, placeholder, the meta description). The
failure lists each mistake with the pages that show it (a mistake in the
site's shell would otherwise be listed once per page).
"""

import html
from collections import defaultdict
from html.parser import HTMLParser

import pytest

from .typography import mistakes

# Pages listed per mistake in the failure message.
PAGES_SHOWN = 3
READ_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "placeholder", "aria-description"})


class _ReadAttributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.values.append(value)
        if tag == "meta" and a.get("name") == "description" and a.get("content"):
            self.values.append(a["content"])

    handle_startendtag = handle_starttag


def page_mistakes(body: str) -> list[str]:
    """The mistakes of the page's text, then of its read attributes."""
    found = mistakes(body)
    parser = _ReadAttributes()
    parser.feed(body)
    parser.close()
    for value in parser.values:
        found += [f"(attribut) {m}" for m in mistakes(f"<p>{html.escape(value)}</p>")]
    return found


def test_attributes_read_by_people_are_proof_read():
    body = '<img alt="Carte : Brest"><meta name="description" content="Centres : liste">'
    assert len(page_mistakes(body)) == 2
    assert page_mistakes('<img alt="Carte\u00a0: Brest" src="a : b">') == []


def test_every_crawled_page_passes_the_french_proof_reader(crawled_pages):
    pages = crawled_pages.html_pages() + crawled_pages.error_pages
    assert pages, "the crawl found no HTML page"
    pages_by_mistake = defaultdict(list)
    for page in pages:
        for mistake in dict.fromkeys(page_mistakes(crawled_pages.bodies[page.url])):
            pages_by_mistake[mistake].append(page.url)
    if pages_by_mistake:
        lines = [f"{len(pages_by_mistake)} typography mistake(s) on {len(pages)} pages:"]
        for mistake, urls in sorted(pages_by_mistake.items()):
            more = f" and {len(urls) - PAGES_SHOWN} more" if len(urls) > PAGES_SHOWN else ""
            lines.append(f"{mistake}\n    on {', '.join(urls[:PAGES_SHOWN])}{more}")
        pytest.fail("\n".join(lines), pytrace=False)
