"""The trials tests measure views, not the whole-page cache in front of them."""

import pytest


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
