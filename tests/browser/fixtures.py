"""Fixtures shared by the gates (tests/gates) and the browser journeys (tests/browser).

Both are marked `gate` (tests/conftest.py) and run in their own pytest session,
`pytest -m gate tests` (`make test` starts it after the unit tests), on a test
database that holds the demonstration data:

- `django_db_setup` loads `manage.py demo_data` once, committed, right after the
  test database is created, then snapshots the database. Ordinary `db` tests
  roll back to it. Tests using `live_site` are transactional: Django empties
  the database after each of them, and the snapshot is reloaded before the next.
- `chromium`: Debian's Chromium driven by Playwright for Python (never
  `playwright install`). Missing browser: the test is skipped with the reason,
  unless the environment variable CI is set, where it fails.
- `site_server`: a live server started once on that data, for tests that only
  read; `live_site` (pytest-django's live_server) for a test that writes.
- `open_context` / `page`: browser contexts on the live server that refuse
  every request leaving it (map tiles included): pages must work without them.
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the networking switches, Chromium floods a closed network with requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
TIMEOUT_MS = 15_000


# tests/gates/conftest.py and tests/browser/conftest.py each import these
# fixtures, so pytest holds two session instances of each: what must happen
# once per process (loading the data, starting the browser) is kept here.
_once: dict = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the demo data loaded once and committed."""
    refuse_real_database()
    with django_db_blocker.unblock():
        if "demo_data" not in _once:
            call_command("demo_data", stdout=io.StringIO())
            # Transactional tests flush the database; serialized_rollback reloads this.
            _once["snapshot"] = connection.creation.serialize_db_to_string()
            connection._test_serialized_contents = _once["snapshot"]
            _once["demo_data"] = True
        else:
            ensure_demo_data()
    yield


@pytest.fixture(autouse=True)
def demo_data_snapshot(django_db_setup, django_db_blocker):
    """Keep the snapshot on the connection the test uses, and the data in the database.

    Once Playwright has started, the test thread's context changes and Django
    hands out a new connection object, without the snapshot: Django's
    serialized rollback would then stop reloading the demo data after a flush.
    """
    current = connections[DEFAULT_DB_ALIAS]
    if not hasattr(current, "_test_serialized_contents"):
        current._test_serialized_contents = _once["snapshot"]
    with django_db_blocker.unblock():
        ensure_demo_data()


def refuse_real_database():
    """Stop if the connection is not on a test database (pytest-django creates
    none when no collected test asks for the database)."""
    from pantogether.settings import BASE_DIR, env

    configured = env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")["NAME"]
    current = connection.settings_dict["NAME"]
    if current == configured or not current:
        raise RuntimeError(
            f"refusing to load the demo data into {current!r}: no test database was set up"
        )


def ensure_demo_data():
    """Reload the demo data if a transactional test has emptied the database."""
    from centres.models import Centre

    if not Centre.objects.exists():
        connection.creation.deserialize_db_from_string(_once["snapshot"])


@pytest.fixture(scope="session")
def site_server(django_db_setup, django_db_blocker):
    """A live server on the committed demo data, for tests that only read.

    pytest-django's `live_server` makes each test that uses it transactional:
    Django empties the database after it, and reloading the demo data costs
    seconds per test. Read-only browser tests use this server instead (the
    same LiveServer class, started once); a test that writes uses `live_site`.
    """
    from pytest_django.live_server_helper import LiveServer

    if "site_server" in _once:
        yield _once["site_server"]
        return
    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    server._live_server_modified_settings.enable()  # ALLOWED_HOSTS += localhost
    _once["site_server"] = server
    yield server
    del _once["site_server"]
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture
def live_site(live_server, django_db_serialized_rollback):
    """pytest-django's live server, for a test whose browser writes to the database.

    The test is transactional: what the server thread writes is committed, then
    emptied after the test, and the demo data is reloaded from the snapshot.
    """
    return live_server


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright; a skip (or, with CI set, a failure) if absent."""
    if "chromium" in _once:
        yield _once["chromium"]
        return
    executable = shutil.which(CHROMIUM)
    if executable is None:
        reason = (
            f"Chromium not found ({CHROMIUM}): browser tests SKIPPED. "
            "Install it with `apt-get install -y chromium`."
        )
        if os.environ.get("CI"):
            pytest.fail(reason + " CI is set: a missing browser is a failure.", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django then
    # refuses ORM calls from that thread unless told it is safe (it is: one thread).
    # Set here, not at import: the unit sessions import this module too.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        _once["chromium"] = browser
        yield browser
        del _once["chromium"]
        browser.close()


@pytest.fixture
def open_context(chromium, site_server):
    """Open browser contexts on a live server; every request off that server is aborted.

    `open_context(**options)` takes Playwright's new_context options; the
    server is `site_server` unless `base_url=live_site.url` is given.
    """
    contexts = []

    def make(**options):
        origin = options.pop("base_url", site_server.url)

        def block_off_site(route):
            if route.request.url.startswith(origin + "/"):
                route.continue_()
            else:
                route.abort()

        options = {"locale": "fr-FR", "viewport": {"width": 1280, "height": 900}} | options
        context = chromium.new_context(base_url=origin, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", block_off_site)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_context):
    return open_context().new_page()


def save_screenshot(page, name: str) -> Path:
    """A full-page screenshot under test-artifacts/ (printed by .ci/run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
