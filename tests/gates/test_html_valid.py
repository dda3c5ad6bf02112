"""Every crawled HTML page passes the W3C Nu HTML validator with zero errors.

vnu.jar comes from the npm package vnu-jar (node_modules, installed by
`make test`) and runs with Java once over all pages: one JVM start, not one
per page.
"""

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _validate(files: list[Path]) -> list[dict]:
    """The error messages of vnu for these files (its JSON report goes to stderr)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: apt-get install -y default-jre-headless", pytrace=False)
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `npm ci` (make test does)", pytrace=False)
    completed = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(completed.stderr or completed.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu gave no JSON report:\n{completed.stderr[-2000:]}", pytrace=False)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def test_every_crawled_page_is_valid_html(crawled_pages, tmp_path):
    pages = crawled_pages.html_pages() + crawled_pages.error_pages
    assert pages, "the crawl found no HTML page"
    by_name = {}
    for number, page in enumerate(pages):
        path = tmp_path / f"page-{number:04d}.html"
        path.write_text(crawled_pages.bodies[page.url], encoding="utf-8")
        by_name[path.name] = page.url
    errors = defaultdict(list)
    for message in _validate([tmp_path / name for name in by_name]):
        url = message.get("url", "")
        page_url = by_name.get(url.rsplit("/", 1)[-1], url)
        where = f"line {message.get('lastLine', '?')}"
        extract = (message.get("extract") or "").replace("\n", " ").strip()
        errors[page_url].append(f"{where}: {message['message']}  «{extract}»")
    if errors:
        lines = [f"{len(errors)} page(s) with HTML errors:"]
        for url, messages in errors.items():
            lines.append(f"{url}")
            lines.extend(f"    {m}" for m in messages[:10])
            if len(messages) > 10:
                lines.append(f"    ... and {len(messages) - 10} more")
        pytest.fail("\n".join(lines), pytrace=False)
