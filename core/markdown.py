"""Markdown typed in the admin, rendered to safe HTML for the public pages."""

import re

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADING = re.compile(r"<(/?)h[1-6]\b[^>]*>")


def render(text: str) -> str:
    """Markdown to sanitised HTML.

    Editors' headings become level-3 headings, because the text always sits
    inside a section of the page (the page has its own h1 and h2).
    """
    if not text:
        return ""
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h3>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
