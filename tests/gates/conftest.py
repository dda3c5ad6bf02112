"""The gates' session: demo data in the test database, the crawl, the browser.

`crawled_pages` is the list of public pages every gate runs over (see crawl.py).
"""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from tests.browser.fixtures import (  # noqa: F401 (fixtures)
    chromium,
    demo_data_snapshot,
    django_db_setup,
    ensure_demo_data,
    live_site,
    open_context,
    page,
    site_server,
)

from .crawl import Crawl, CrawledPage, client_fetcher, crawl

# A URL no page links to: the crawl fetches it so that the 404 page is checked too.
MISSING_PAGE = "/page-qui-n-existe-pas/"
# The manifest storage needs collectstatic; the crawl renders with the plain one.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(scope="session")
def crawled_pages(django_db_setup, django_db_blocker) -> Crawl:  # noqa: F811
    """Every public page reachable from "/", crawled once per session with the test Client.

    A `Crawl`: a list of `CrawledPage(url, status, content_type)` (statuses as
    answered: 200, 3xx, or 400 for a form submitted with sample text), plus
    `linked_from`, `from_form`, `bodies` (HTML of each HTML page), `forms`, and
    `error_pages` (the 404 page, fetched on purpose, not part of the list).
    """
    with django_db_blocker.unblock(), override_settings(STORAGES=PLAIN_STATIC):
        ensure_demo_data()
        cache.clear()
        client = Client(raise_request_exception=False)
        fetch = client_fetcher(client)
        result = crawl(fetch)
        missing = fetch(MISSING_PAGE)
        result.error_pages = [CrawledPage(MISSING_PAGE, missing.status, missing.content_type)]
        result.bodies[MISSING_PAGE] = missing.body.decode("utf-8", errors="replace")
        cache.clear()
    return result
