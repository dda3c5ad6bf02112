"""The registry's text (eligibility criteria, summaries) as Markdown that renders right.

ClinicalTrials.gov writes Markdown-like text: "* " bullets, sub-lists indented by
two or three spaces, lists that follow their heading line without a blank line.
Python-Markdown wants four spaces per level and a blank line before a list: as
it is, bullets show as raw "* " and a numbered sub-list indented by two spaces
turns every later item into a literal "* …" line. `as_markdown()` rewrites the
indentation level by level and adds the blank lines; `core.markdown.render`
then renders and sanitises it.
"""

import re

from core.markdown import render

_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[*+\-•]|\d{1,3}[.)])[ \t]+(?P<text>\S.*)$")
_INDENT = re.compile(r"^[ \t]*")


def _width(indent: str) -> int:
    return len(indent.replace("\t", "    "))


def as_markdown(text: str) -> str:
    """Registry text with its lists indented four spaces per level, each list
    preceded by a blank line, numbered markers as "1." (not "1)")."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    levels: list[int] = []  # the indentation widths of the open list levels
    for line in lines:
        item = _ITEM.match(line)
        if item:
            width = _width(item["indent"])
            if not levels:
                if out and out[-1].strip():
                    out.append("")  # a list needs a blank line after a paragraph
                levels = [width]
            elif width > levels[-1]:
                levels.append(width)
            else:
                while len(levels) > 1 and width < levels[-1]:
                    levels.pop()
                if width < levels[-1]:
                    levels[-1] = width
            marker = item["marker"]
            if marker == "•":
                marker = "*"
            elif marker[-1] == ")":
                marker = marker[:-1] + "."
            out.append("    " * (len(levels) - 1) + f"{marker} {item['text']}")
        elif not line.strip():
            out.append("")
        elif levels and _width(_INDENT.match(line)[0]) > levels[0]:
            # An item's continuation line: under the deepest open item.
            out.append("    " * len(levels) + line.strip())
        else:
            if levels and out and out[-1].strip():
                out.append("")  # a paragraph after a list
            levels = []
            out.append(line.strip())
    return "\n".join(out)


def registry_html(text: str) -> str:
    """Registry text rendered to sanitised HTML."""
    return render(as_markdown(text))
