"""Read what a visitor sees in a page: its text, its links, one element."""

import re
from html import unescape
from html.parser import HTMLParser

_BLOCKS = "p li ul ol h1 h2 h3 h4 div section br address td th dt dd option label".split()


def text(html: str) -> str:
    """The page's text, tags removed and white space collapsed (no-break spaces kept)."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(?:{})\b[^>]*>".format("|".join(_BLOCKS)), " ", html)
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, dict]] = []
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open.append({**dict(attrs), "text": ""})

    def handle_data(self, data):
        for link in self._open:
            link["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            link = self._open.pop()
            link["text"] = re.sub(r"\s+", " ", link["text"]).strip()
            self.links.append((link["text"], link))


def links(html: str) -> list[dict]:
    """Every link: its attributes, and its text under the key "text"."""
    parser = _Links()
    parser.feed(html)
    return [attrs for _text, attrs in parser.links]


def section(html: str, heading: str) -> str:
    """The HTML from the <h2> whose text is `heading` to the next <h2> (or the end of main)."""
    match = re.search(rf"<h2[^>]*>\s*{re.escape(heading)}\s*</h2>(.*?)(?=<h2|</main>)", html, re.S)
    assert match, f"no section « {heading} »"
    return match.group(1)
