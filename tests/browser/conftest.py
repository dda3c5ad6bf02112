"""Browser journeys: Chromium on the live server, with the demo data."""

import pytest

from .fixtures import (  # noqa: F401 (fixtures)
    chromium,
    demo_data_snapshot,
    django_db_setup,
    live_site,
    open_context,
    page,
    prepare_gate_items,
    site_server,
)


@pytest.hookimpl(tryfirst=True)  # before pytest-django orders tests by database use
def pytest_collection_modifyitems(config, items):
    prepare_gate_items(config, items)
