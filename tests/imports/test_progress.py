"""Large files show progress (issue 12, point 4): each step of an import says how
many rows it read, and a sent form shows a progress bar, drawn by a script file
from static/ (the CSP forbids inline scripts and styles; without JavaScript
the form posts the same way)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.templatetags.static import static
from django.urls import reverse

from .conftest import NOW, preview, text_of
from .test_activity_import import csv_file

pytestmark = pytest.mark.time_machine(NOW, tick=False)

NB = "\u00a0"


def assert_progress_without_inline_code(html: str, boxes: int = 1) -> None:
    """The bar, hidden until the script shows it; the script referenced from
    static; no inline script, no style attribute or element."""
    assert html.count("data-import-progress-box") == boxes
    assert re.search(r"<div class=\"import-progress\" [^>]*\bhidden>\s*<progress", html)
    # Read in the test: the tests' storage is set by a fixture (no manifest).
    assert f'<script src="{static("js/import-progress.js")}" defer></script>' in html
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attributes and not body.strip(), attributes
    assert not re.search(r"<style|\sstyle=", html)


def test_the_import_page_shows_a_progress_bar_once_sent(client, world):
    client.force_login(world.pilot)
    html = client.get(reverse("admin:centres_centre_import")).content.decode()
    assert_progress_without_inline_code(html)
    assert f"Envoi du fichier (%s{NB}Mo), puis vérification de chacune de ses lignes" in html


def test_the_preview_says_how_many_rows_it_read_and_its_confirmation_shows_progress(client, world):
    client.force_login(world.pilot)
    content = csv_file("rcp-a;2026-11-17;14;9;8;4;2;", "rcp-b;10/11/2026;7;3;6;4;1;")
    response = preview(client, "rcp_rcpactivity", content)
    assert (
        f"2 lignes lues dans le fichier{NB}: 1 ligne à créer, 1 à mettre à jour, "
        "0 inchangée, 0 rejetée." in text_of(response)
    )
    html = response.content.decode()
    assert_progress_without_inline_code(html)
    assert "<span>1</span><del>0</del><ins>4</ins>" in html  # 10 → 14, coloured by import.css
    action = reverse("admin:rcp_rcpactivity_process_import")
    confirm_form = re.search(rf'<form action="{action}" method="POST">(.*?)</form>', html, re.S)
    assert 'name="confirm"' in confirm_form[1]
    assert "data-import-progress-box" in confirm_form[1]
    assert f"Import en cours{NB}: les lignes sont enregistrées toutes ensemble" in html


def test_a_refused_file_says_how_many_rows_it_read(client, world):
    client.force_login(world.pilot)
    content = csv_file("rcp-a;31/02/2026;12;8;11;5;4;")
    page = text_of(preview(client, "rcp_rcpactivity", content))
    assert "Le fichier ne peut pas être importé" in page
    assert f"1 ligne lue dans le fichier{NB}: " in page


def test_the_activity_csv_check_says_how_many_rows_it_read(client, world):
    client.force_login(world.pilot)
    url = reverse("admin:rcp_rcpactivity_import")
    assert_progress_without_inline_code(client.get(url).content.decode())
    content = csv_file("rcp-a;2026-11-17;14;9;8;4;2;", "rcp-b;10/11/2026;7;3;6;4;1;")
    upload = SimpleUploadedFile("activite.csv", content)
    response = client.post(url, {"file": upload, "dry_run": "on"})
    assert (
        "2 lignes lues dans le fichier, 1 séance serait ajoutée, 1 mise à jour, 0 déjà à jour."
        in text_of(response)
    )


def test_the_progress_script_is_a_static_file_that_changes_nothing_without_its_markup():
    path = finders.find("js/import-progress.js")
    assert path is not None
    with open(path, encoding="utf-8") as script:
        source = script.read()
    # It only enhances forms that hold the bar; the post itself is the browser's own.
    assert "[data-import-progress-box]" in source
    assert "XMLHttpRequest" not in source and "fetch(" not in source
    assert "preventDefault" not in source
