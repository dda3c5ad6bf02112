"""Browser journeys: Chromium on the live server, with the demo data."""

from .fixtures import (  # noqa: F401 (fixtures)
    chromium,
    demo_data_snapshot,
    django_db_setup,
    live_site,
    open_context,
    page,
    site_server,
)
