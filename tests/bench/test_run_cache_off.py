"""`make bench`: the searches measured with the page cache off, where every request renders."""

import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import run
from tests import factories

SEARCH_PATHS = ["/centres/?q=brest", "/centres/?pres_de=29200", "/rcp/?pres_de=29200"]


def test_every_search_page_of_the_cache_off_phase_is_driven(monkeypatch):
    monkeypatch.setattr(run, "fetch", lambda url: (200, b""))
    names = [name for name, _path in run.pages("http://bench")]
    assert set(run.CACHE_OFF_PAGES) <= set(names)


def test_the_cache_off_phase_serves_with_the_page_cache_off_and_drives_each_search(
    monkeypatch,
):
    started = []

    class Server:
        stopped = False

        def terminate(self):
            self.stopped = True

        def wait(self, timeout):
            pass

    def start_server(env, port, workers):
        started.append(env)
        return Server()

    driven = []

    def drive(url, connections, seconds):
        driven.append((url, connections, seconds))
        return {"rps": 100.0, "errors": 0, "p50_ms": 5.0, "p95_ms": 9.0, "p99_ms": 12.0}

    monkeypatch.setattr(run, "start_server", start_server)
    targets = [("annuaire recherche", "/centres/?q=x"), ("RCP près de", "/rcp/?pres_de=29200")]
    rows = run.drive_cache_off(
        {"PAGE_CACHE_SECONDS": "60", "DEBUG": "false"},
        "http://127.0.0.1:9",
        9,
        2,
        targets,
        drive,
        [8],
        3.0,
    )
    assert [env["PAGE_CACHE_SECONDS"] for env in started] == ["0"]
    assert started[0]["DEBUG"] == "false"
    # Each page: a 1-second warm-up of the workers, then the measured run at 8 connections.
    assert driven == [
        ("http://127.0.0.1:9/centres/?q=x", 4, 1),
        ("http://127.0.0.1:9/centres/?q=x", 8, 3.0),
        ("http://127.0.0.1:9/rcp/?pres_de=29200", 4, 1),
        ("http://127.0.0.1:9/rcp/?pres_de=29200", 8, 3.0),
    ]
    assert [(r["name"], r["connections"], r["rps"]) for r in rows] == [
        ("annuaire recherche", 8, 100.0),
        ("RCP près de", 8, 100.0),
    ]


def test_the_cache_off_table_sets_each_search_beside_its_warm_figure():
    results = {
        "rows": [{"name": "centres proches", "connections": 8, "rps": 2870.4}],
        "cache_off": {
            "rows": [
                {
                    "name": "centres proches",
                    "connections": 8,
                    "rps": 41.6,
                    "p50_ms": 180.25,
                    "p95_ms": 250.0,
                    "p99_ms": 300.0,
                    "errors": 0,
                    "render_ms": 41.0,
                },
                {
                    "name": "RCP près de",
                    "connections": 8,
                    "rps": 30.0,
                    "p50_ms": 200.0,
                    "p95_ms": 260.0,
                    "p99_ms": 310.0,
                    "errors": 1,
                    "render_ms": None,
                },
            ]
        },
    }
    lines = run.cache_off_table(results).splitlines()
    assert lines[0].startswith("| page (cache off) | conn. | req/s | p50 ms | p95 ms |")
    assert lines[2] == "| centres proches | 8 | 42 | 180.2 | 250.0 | 300.0 | 0 | 41.0 | 2870 |"
    assert lines[3] == "| RCP près de | 8 | 30 | 200.0 | 260.0 | 310.0 | 1 | – | – |"


def test_an_unknown_phase_is_refused_before_anything_runs(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["run.py", "--phases", "cold"])
    monkeypatch.setattr(run, "choose_database", lambda: pytest.fail("the bench started"))
    with pytest.raises(SystemExit) as exit_:
        run.main()
    assert exit_.value.code == 2
    assert "--phases: one or more of warm, cache-off" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.parametrize("path", SEARCH_PATHS)
def test_with_the_page_cache_off_a_search_asked_again_is_rendered_again(
    client, settings, path, django_assert_num_queries
):
    """What the phase relies on: PAGE_CACHE_SECONDS=0 makes every request a render
    (its SQL runs again), where with the cache on the same search costs no query."""
    factories.make_centre(name="CHU de Brest")
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        assert client.get(path).content == first.content
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        again = client.get(path)
    assert again.status_code == 200
    assert len(queries) > 0
