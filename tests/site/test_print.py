"""What a page looks like on paper (static/css/print.css, loaded with media="print")."""

import re
from pathlib import Path

import pytest
from django.conf import settings

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"


def rules() -> dict[str, str]:
    """Each selector of print.css mapped to its declarations."""
    css = re.sub(r"/\*.*?\*/", "", PRINT_CSS.read_text(), flags=re.S)
    found = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            found[" ".join(selector.split())] = " ".join(body.split())
    return found


@pytest.mark.parametrize(
    "selector",
    [".subscribe", ".site-header nav", ".site-search", ".filters", ".quick-search", "button"],
)
def test_subscriptions_menus_and_forms_are_not_printed(selector):
    assert "display: none" in rules()[selector]


def test_external_links_print_their_address_after_them():
    assert 'content: " (" attr(href) ")"' in rules()['a[href^="http"]::after']


def test_the_footer_stays_with_the_content_and_shrinks():
    footer = rules()[".site-footer"]
    assert "break-before: avoid" in footer and "break-inside: avoid" in footer
    assert "display: none" in rules()[".site-footer nav"]
    assert "display: none" in rules()[".site-footer p + p"]


@pytest.mark.django_db
def test_every_page_loads_the_print_stylesheet_for_print_only(client):
    html = client.get("/rcp/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', html)
