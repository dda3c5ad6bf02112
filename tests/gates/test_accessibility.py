"""Accessibility of every kind of crawled page in Chromium (RGAA 4.1, i.e. WCAG 2.1 AA).

One browser pass visits the HTML pages found by the crawl (and the 404 page)
on the live server: every view, with each shape of query string it was
reached with, up to PAGES_PER_KIND pages each (the first ones the crawl found:
the other centre or trial pages of the same template add time, about a second
each, not coverage; valid HTML, typography and headers are still checked on
every crawled page by the other gates), with scripts on and map tiles blocked. On each page it
runs axe-core (npm, node_modules/axe-core) with the WCAG 2.0/2.1 A and AA
rules, reads the headings, images and form fields, and measures the
page at 320 CSS px wide (what 200 % zoom on a 640 px window gives). Each test
below then reports one kind of problem for all pages at once.
"""

from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
NARROW = {"width": 320, "height": 640}
# axe.min.js is answered by the browser context itself at this same-origin
# path: the CSP (script-src 'self') stays on and allows it, unlike an inline
# script tag, and Chromium caches its compiled code from page to page
# (twice as fast as `page.evaluate(source)` on every page).
AXE_PATH = "/__test-only__/axe.min.js"
WIDE = {"width": 1280, "height": 900}

RUN_AXE = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ") + " — "
      + n.failureSummary.split("\\n").slice(1).join(" ").trim()),
  }));
}"""

READ_STRUCTURE = """() => {
  const snippet = (el) => el.outerHTML.slice(0, 140);
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(
    (h) => [Number(h.tagName[1]), h.textContent.trim().replace(/\\s+/g, " ").slice(0, 60)]);
  const images = [...document.querySelectorAll("img:not([alt])")].map(snippet);
  const unlabelled = [...document.querySelectorAll("input, select, textarea")]
    .filter((f) => !["hidden", "submit", "button", "reset", "image"].includes(f.type))
    .filter((f) => !(f.labels && f.labels.length) && !f.getAttribute("aria-label")
                   && !f.getAttribute("aria-labelledby"))
    .map(snippet);
  return {headings, images, unlabelled};
}"""

NEXT_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"

MEASURE_OVERFLOW = """(limit) => {
  const width = document.documentElement.scrollWidth;
  const culprits = [];
  if (width > limit) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > limit + 1 && r.width > 0 && !culprits.some((c) => c.el.contains(el))) {
        culprits.push({el, text: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
          + (typeof el.className === "string" && el.className
             ? "." + el.className.trim().split(/\\s+/).join(".") : "")
        });
      }
      if (culprits.length >= 5) break;
    }
  }
  return {width, culprits: [...new Set(culprits.map((c) => c.text))]};
}"""

_audit: dict = {}


PAGES_PER_KIND = 3


def kinds_of_page(urls: list[str], per_kind: int = PAGES_PER_KIND) -> list[str]:
    """The first `per_kind` URLs of each kind of page: its view, and the names
    of the query parameters it was reached with (a filtered list, a search, a
    page number are kinds of their own)."""
    kept, seen = [], defaultdict(int)
    for url in urls:
        parts = urlsplit(url)
        try:
            view = resolve(parts.path).view_name
        except Resolver404:
            view = parts.path  # the 404 page
        kind = (view, tuple(sorted(parse_qs(parts.query, keep_blank_values=True))))
        if seen[kind] < per_kind:
            seen[kind] += 1
            kept.append(url)
    return kept


def test_every_kind_of_page_is_audited_up_to_its_share():
    urls = [
        "http://h/centres/chu-brest/",
        "http://h/centres/chu-nantes/",
        "http://h/centres/chu-lille/",
        "http://h/centres/chu-rennes/",
        "http://h/centres/?axe=pancreas",
        "http://h/centres/?axe=foie",
        "http://h/centres/?axe=foie&page=2",
        "http://h/page-qui-n-existe-pas/",
    ]
    assert kinds_of_page(urls, per_kind=1) == [
        "http://h/centres/chu-brest/",
        "http://h/centres/?axe=pancreas",
        "http://h/centres/?axe=foie&page=2",
        "http://h/page-qui-n-existe-pas/",
    ]
    assert len(kinds_of_page(urls, per_kind=3)) == 7


def _audit_page(page, url: str) -> dict:
    messages = []

    def on_console(message):
        # Blocked tiles and the 404 page's own status are expected failures to load.
        if message.type == "error" and "Failed to load resource" not in message.text:
            messages.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
    page.set_viewport_size(WIDE)
    page.goto(url, wait_until="load")
    page.add_script_tag(url=AXE_PATH)
    found = {
        "violations": page.evaluate(RUN_AXE, AXE_OPTIONS),
        **page.evaluate(READ_STRUCTURE),
    }
    page.set_viewport_size(NARROW)
    page.evaluate(NEXT_FRAMES)  # let the layout and scripts react to the resize
    found["overflow"] = page.evaluate(MEASURE_OVERFLOW, NARROW["width"])
    found["console"] = messages
    page.remove_listener("console", on_console)
    return found


@pytest.fixture
def audit(crawled_pages, open_context):
    """{url: findings} for every kind of crawled HTML page, computed once per session."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)", pytrace=False)
    if not _audit:
        axe_source = AXE.read_text()
        urls = kinds_of_page(
            [p.url for p in crawled_pages.html_pages() + crawled_pages.error_pages]
        )
        context = open_context()
        context.route(
            "**" + AXE_PATH,
            lambda route: route.fulfill(body=axe_source, content_type="text/javascript"),
        )
        page = context.new_page()
        found = {url: _audit_page(page, url) for url in urls}
        page.close()
        _audit.update(found)
    return _audit


def _report(title: str, problems: dict) -> str:
    """Problems grouped by message, each with the pages it appears on."""
    lines = [title]
    for message, urls in sorted(problems.items()):
        shown = ", ".join(urls[:3]) + (f" and {len(urls) - 3} more" if len(urls) > 3 else "")
        lines.append(f"- {message}\n    on {shown}")
    return "\n".join(lines)


def _collect(audit, problems_of) -> dict:
    problems = defaultdict(list)
    for url, found in audit.items():
        for message in problems_of(found):
            problems[message].append(url)
    return problems


def test_axe_finds_no_wcag_21_aa_violation_on_any_page(audit):
    problems = _collect(
        audit,
        lambda f: (
            f"[{v['rule']}] ({v['impact']}) {v['help']}: {target}"
            for v in f["violations"]
            for target in v["targets"]
        ),
    )
    if problems:
        pytest.fail(_report("axe-core violations (rule, element, pages):", problems), pytrace=False)


def test_every_page_has_exactly_one_h1(audit):
    problems = _collect(
        audit,
        lambda f: (
            [f"{sum(1 for level, _ in f['headings'] if level == 1)} h1 instead of 1"]
            if sum(1 for level, _ in f["headings"] if level == 1) != 1
            else []
        ),
    )
    if problems:
        pytest.fail(_report("Pages without exactly one h1:", problems), pytrace=False)


def _jumps(headings):
    previous = 0
    for level, text in headings:
        if level > previous + 1:
            yield f"h{level} « {text} » follows h{previous or '(none)'}"
        previous = level


def test_heading_levels_never_skip_a_level(audit):
    problems = _collect(audit, lambda f: _jumps(f["headings"]))
    if problems:
        pytest.fail(_report("Heading level jumps:", problems), pytrace=False)


def test_every_image_has_an_alt(audit):
    problems = _collect(audit, lambda f: f["images"])
    if problems:
        pytest.fail(_report("Images without alt:", problems), pytrace=False)


def test_every_form_field_has_a_label(audit):
    problems = _collect(audit, lambda f: f["unlabelled"])
    if problems:
        pytest.fail(_report("Form fields without a label:", problems), pytrace=False)


def _overflow(found):
    overflow = found["overflow"]
    if overflow["width"] > NARROW["width"]:
        yield f"wider than {NARROW['width']} px; overflowing: {', '.join(overflow['culprits'])}"


def test_no_page_scrolls_sideways_at_320_css_pixels(audit):
    problems = _collect(audit, _overflow)
    if problems:
        pytest.fail(
            _report("Horizontal scroll at 320 CSS px (200 % zoom):", problems), pytrace=False
        )


def test_pages_run_without_script_error_or_csp_violation(audit):
    problems = _collect(audit, lambda f: f["console"])
    if problems:
        pytest.fail(_report("Browser console errors:", problems), pytrace=False)
