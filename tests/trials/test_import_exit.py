"""import_ctgov for cron: the exit status says whether everything asked was done,
the last line sums up the run, and input of any shape gets a French message,
never a traceback, and changes nothing."""

import io
import json
import subprocess
import sys
import urllib.error

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from trials.models import Trial, TrialSite

from .factories import fixture_path, load_fixture
from .test_import import FakeOpener, FakeResponse


def run(*args):
    """(exit status, stdout, stderr) of the command, as a cron job would see them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_ctgov", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_everything_imported_exits_0_with_a_summary_last(db):
    status, out, err = run(fixture_path("oesophagus_page.json"))
    assert status == 0 and err == ""
    last = out.splitlines()[-1]
    assert last.startswith("Bilan : 2 essai(s) créé(s)")
    assert last.endswith("Code de sortie 0 : tout ce qui était demandé a été fait.")


def test_a_missing_file_exits_1(db):
    status, out, err = run("/nonexistent/study.json")
    assert status == 1
    assert "/nonexistent/study.json : fichier introuvable" in err
    assert out.splitlines()[-1].endswith(
        "Code de sortie 1 : des fichiers ou des études n’ont pas été importés (voir les erreurs)."
    )


def test_an_html_error_page_saved_as_json_is_named_as_such(db, tmp_path):
    page = write(
        tmp_path,
        "NCT01234567.json",
        "\n<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>"
        "<body>Please try again later</body></html>",
    )
    status, _out, err = run(page)
    assert status == 1
    assert "page HTML et non JSON (sans doute une page d’erreur" in err
    assert not Trial.objects.exists()


def test_a_truncated_file_exits_1_and_says_it_looks_truncated(db):
    status, _out, err = run(fixture_path("malformed.json"))
    assert status == 1
    assert "le fichier semble tronqué" in err


def test_every_study_rejected_exits_1(db, tmp_path):
    study = load_fixture("pancreas_study.json")
    study["protocolSection"]["statusModule"]["overallStatus"] = "OPEN"
    status, out, err = run(write(tmp_path, "bad.json", study))
    assert status == 1
    assert "valeur inconnue « OPEN »" in err
    assert "0 essai(s) créé(s)" in out and "1 erreur(s)" in out


def test_a_good_file_does_not_hide_a_bad_one(db, tmp_path):
    status, out, _err = run(fixture_path("oesophagus_page.json"), write(tmp_path, "x.json", "[]"))
    assert status == 1
    assert Trial.objects.count() == 2  # what could be imported was


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "fichier vide"),
        ("   \n", "fichier vide"),
        ("[]", "ce fichier n’est pas au format JSON de l’API v2"),
        ("42", "ce fichier n’est pas au format JSON de l’API v2"),
        ('"NCT01234567"', "ce fichier n’est pas au format JSON de l’API v2"),
        ('{"studies": {"a": 1}}', "« studies » devrait être une liste"),
        ("[" * 100_000 + "]" * 100_000, "trop profondément imbriqué"),
        (b"\xff\xfe{\x00", "n’est pas en UTF-8"),
        (b'{"studies": [\xe9]}', "n’est pas en UTF-8"),
    ],
)
def test_input_of_any_shape_gets_a_french_message_and_exit_1(db, tmp_path, content, message):
    status, out, err = run(write(tmp_path, "input.json", content))
    assert status == 1, (out, err)
    assert message in err
    assert "Traceback" not in out + err


def test_a_directory_is_not_a_file(db, tmp_path):
    status, _out, err = run(str(tmp_path))
    assert status == 1 and "c’est un dossier" in err


def test_usage_errors_are_refused_before_anything_is_done(db):
    with pytest.raises(CommandError) as refused:
        call_command("import_ctgov", stdout=io.StringIO())
    assert refused.value.returncode == 2
    for bad in (["--retries", "-1"], ["--retries", "x"], ["--timeout", "0"], ["--max-pages", "0"]):
        with pytest.raises(CommandError):
            call_command("import_ctgov", "--refresh", *bad, stdout=io.StringIO())


@pytest.mark.parametrize(
    "args, code",
    [([], 2), (["--retries", "-1", "x.json"], 2), (["--timeout", "soon", "x.json"], 2)],
)
def test_the_real_process_exits_with_the_status_cron_sees(args, code):
    """The exit status of `manage.py import_ctgov` itself (these fail before any query)."""
    done = subprocess.run(
        [sys.executable, "manage.py", "import_ctgov", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr


def _network(monkeypatch, *answers):
    from trials import fetch

    opener = FakeOpener(*answers)
    for name in ("fetch_pages", "fetch_by_ids"):
        real = getattr(fetch, name)

        def patched(*args, real=real, **kwargs):
            return real(*args, **kwargs, opener=opener, sleep=lambda s: None)

        monkeypatch.setattr(fetch, name, patched)
    return opener


def test_no_network_exits_3(db, monkeypatch):
    offline = urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))
    opener = _network(monkeypatch, offline, offline)
    status, out, err = run("--fetch", "pancreatic cancer", "--retries", "1")
    assert status == 3
    assert len(opener.urls) == 2  # --retries 1: one more try after the first
    assert "2 tentatives" in err
    assert out.splitlines()[-1].endswith(
        "Code de sortie 3 : le registre en ligne n’a pas pu être lu en entier."
    )


def test_retries_0_means_one_try(db, monkeypatch):
    offline = urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))
    opener = _network(monkeypatch, offline)
    status, _out, err = run("--refresh", "--retries", "0")
    assert status == 0  # nothing to refresh: nothing asked of the registry
    assert opener.urls == []
    Trial.objects.create(
        brief_title="T", nct_number="NCT01234567", source="registry", status="RECRUITING"
    )
    status, _out, err = run("--refresh", "--retries", "0")
    assert status == 3 and len(opener.urls) == 1 and "1 tentative)" in err


def test_an_html_answer_of_the_registry_is_named_as_such(db, monkeypatch):
    class HtmlOpener(FakeOpener):
        def open(self, request, timeout=None):
            self.urls.append(request.full_url)
            return FakeResponse(b"<html><body><h1>Maintenance</h1></body></html>")

    from trials import fetch

    opener = HtmlOpener()
    real = fetch.fetch_pages
    monkeypatch.setattr(
        fetch, "fetch_pages", lambda *a, **k: real(*a, **k, opener=opener, sleep=lambda s: None)
    )
    status, _out, err = run("--fetch", "pancreatic cancer")
    assert status == 3
    assert "répondu par une page HTML (page d’erreur ou de maintenance)" in err


# --- Any file: a message and a status, never a traceback; a failure changes nothing --


def _mutations():
    """A real study with one value replaced by anything JSON can hold."""
    paths = [
        ("protocolSection",),
        ("protocolSection", "identificationModule"),
        ("protocolSection", "identificationModule", "nctId"),
        ("protocolSection", "identificationModule", "briefTitle"),
        ("protocolSection", "statusModule"),
        ("protocolSection", "statusModule", "overallStatus"),
        ("protocolSection", "statusModule", "lastUpdatePostDateStruct"),
        ("protocolSection", "designModule", "phases"),
        ("protocolSection", "designModule", "enrollmentInfo"),
        ("protocolSection", "eligibilityModule", "minimumAge"),
        ("protocolSection", "eligibilityModule", "maximumAge"),
        ("protocolSection", "conditionsModule", "conditions"),
        ("protocolSection", "contactsLocationsModule", "locations"),
        ("protocolSection", "contactsLocationsModule", "centralContacts"),
        ("derivedSection",),
        ("derivedSection", "conditionBrowseModule"),
    ]
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=12), children, max_size=3)
        ),
        max_leaves=8,
    )
    return st.tuples(st.sampled_from(paths), values)


def _state():
    return (
        list(Trial.objects.order_by("pk").values()),
        list(TrialSite.objects.order_by("pk").values()),
        Trial.history.count(),
    )


@hsettings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(change=_mutations())
def test_any_change_to_a_real_study_imports_or_fails_cleanly(db, tmp_path, change):
    path, value = change
    study = load_fixture("pancreas_study.json")
    node = study
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else {}
    if isinstance(node, dict):
        node[path[-1]] = value
    with transaction.atomic():
        before = _state()
        file = write(tmp_path, "study.json", study)
        status, out, err = run(file)
        assert status in (0, 1), (status, out, err)
        if status == 1:
            assert "Erreur" in err and _state() == before
        transaction.set_rollback(True)
