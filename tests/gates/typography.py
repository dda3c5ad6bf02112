"""French typography of what a reader sees: the text of an HTML page, and the
mistakes a French proof-reader marks in it.

The text is the page's text nodes in document order, outside <script>,
<style>, <code>, <pre>, <textarea> and <svg> (addresses, code and drawings
keep their own spacing). Inline elements join their text without a separator,
so "<strong>Adresse</strong> :" is read as "Adresse :".
"""

import re
from html.parser import HTMLParser

SKIPPED = frozenset({"script", "style", "code", "pre", "textarea", "svg", "template"})
BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p section summary table td th tr ul "
    "option select label caption details legend title".split()
)
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# Rules: (name, pattern). A plain space is U+0020 (or a line break): French sets
# a no-break space (U+00A0 or the narrow U+202F) before : ; ! ? », after «, and
# between a number and its unit.
RULES = [
    ("espace avant : ; ! ? ou »", re.compile(r"[^\S\u00a0\u202f]+[:;!?»]")),
    ("espace après «", re.compile(r"«[^\S\u00a0\u202f]")),
    (
        "espace entre un nombre et son unité",
        re.compile(r"\d[ \t\n]+(?:km|h|min|%|Mo|Ko|ans?)(?![\w'’-])"),
    ),
    ("« 1 » pour « 1er »", re.compile(rf"\b(?:le|du|au) 1 (?:{MONTHS})\b")),
    (
        "élision (« d’Ajaccio », « l’Hôpital »)",
        re.compile(r"\b(?:[Dd]e|[Ll][ea]|[Qq]ue) (?=[AEIOUÂÊÎÔÛÉÈÀaeiouâêîôûéèà][a-zà-ÿ])"),
    ),
]


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.parts.append("\n¶\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n¶\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.parts.append("\n¶\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees, blocks separated by "¶" lines (so that a colon
    opening a block is not read as following the block before)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)


def mistakes(html: str) -> list[str]:
    """Each typography mistake of the page, with some text around it."""
    found = []
    for block in visible_text(html).split("\n¶\n"):
        for name, pattern in RULES:
            for match in pattern.finditer(block):
                start = max(0, match.start() - 25)
                context = " ".join(block[start : match.end() + 25].split())
                found.append(f"{name}: «{context}»")
    return found
