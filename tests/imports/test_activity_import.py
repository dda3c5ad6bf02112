"""Importing RCP activity through the admin: preview with counts, confirmation,
all or nothing, line-numbered errors, an editor's centres only."""

import datetime

import pytest
from django.urls import reverse

from rcp.models import RcpActivity
from tests.db_snapshot import differences, snapshot

from .conftest import NOW, confirm, preview, text_of

pytestmark = pytest.mark.time_machine(NOW, tick=False)

ADMIN = "rcp_rcpactivity"
NB = "\u00a0"
HEADER = (
    "RCP;date;dossiers discutés;premières présentations;médecins présents;"
    "spécialités représentées;centres représentés;spécialités présentes (codes)"
)


def csv_file(*lines: str) -> bytes:
    return ("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode()


def test_good_file_previews_counts_then_stores_on_confirmation(client, world):
    client.force_login(world.pilot)
    content = csv_file(
        "rcp-a;2026-11-17;14;9;8;4;2;",  # the stored meeting of A, figures changed
        "rcp-b;10/11/2026;7;3;6;4;1;",  # a new meeting of B (Excel's date)
    )

    response = preview(client, ADMIN, content)

    assert response.status_code == 200
    assert "1 ligne à créer, 1 à mettre à jour, 0 inchangée, 0 rejetée." in text_of(response)
    assert RcpActivity.objects.count() == 2  # the preview wrote nothing
    assert RcpActivity.objects.get(rcp=world.a.rcp).files_discussed == 10

    done = confirm(client, ADMIN, response)

    assert done.status_code == 302
    a = RcpActivity.objects.get(rcp=world.a.rcp, date=datetime.date(2026, 11, 17))
    assert (a.files_discussed, a.first_presentations, a.source) == (14, 9, "import")
    b = RcpActivity.objects.get(rcp=world.b.rcp, date=datetime.date(2026, 11, 10))
    assert (b.files_discussed, b.doctors_present, b.centres_represented) == (7, 6, 1)


def test_bad_file_gives_each_error_with_its_line_and_writes_nothing(client, world):
    client.force_login(world.pilot)
    before = snapshot()
    content = csv_file(
        "rcp-a;2026-11-03;12;8;11;5;4;",  # good, but the file is refused whole
        "rcp-a;31/02/2026;12;8;11;5;4;",
        "rcp-b;2026-11-10;3;9;11;5;4;",  # more first presentations than files
        "rcp-inconnue;2026-11-10;3;1;11;5;4;",
    )

    response = preview(client, ADMIN, content)

    assert response.status_code == 200
    page = text_of(response)
    assert "Le fichier ne peut pas être importé" in page
    assert f"Ligne 3, colonne «{NB}date{NB}»{NB}: date «{NB}31/02/2026{NB}» illisible" in page
    assert f"Ligne 4{NB}: Les premières présentations ne peuvent pas dépasser" in page
    assert f"Ligne 5, colonne «{NB}RCP{NB}»{NB}: RCP inconnu" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert differences(before, snapshot()) == []


def test_editor_importing_another_centres_row_is_refused_whole(client, world):
    client.force_login(world.a.editor)
    before = snapshot()
    content = csv_file(
        "rcp-a;2026-11-03;12;8;11;5;4;",  # their own: fine alone
        "rcp-b;2026-11-10;7;3;6;4;1;",  # centre B's RCP
    )

    response = preview(client, ADMIN, content)

    assert response.status_code == 200
    page = text_of(response)
    assert f"Ligne 3{NB}: la RCP «{NB}rcp-b{NB}» ne relève pas de vos centres" in page
    assert "rien n’a été enregistré" in page
    assert response.context.get("confirm_form") is None
    assert differences(before, snapshot()) == []


def test_editor_updating_another_centres_stored_meeting_is_refused(client, world):
    """Even a row the file leaves unchanged: it is not theirs to send."""
    client.force_login(world.a.editor)
    before = snapshot()
    content = csv_file("rcp-b;2026-11-17;10;6;8;4;2;")

    response = preview(client, ADMIN, content)

    assert "ne relève pas de vos centres" in text_of(response)
    assert differences(before, snapshot()) == []


def test_activity_list_offers_both_imports_and_the_export(client, world):
    """The older CSV import (regional networks' files, column aliases) stays."""
    client.force_login(world.pilot)

    page = client.get(reverse("admin:rcp_rcpactivity_changelist")).content.decode()

    assert f'href="{reverse("admin:rcp_rcpactivity_import")}"' in page
    assert f'href="{reverse("admin:rcp_rcpactivity_import_file")}"' in page
    assert f'href="{reverse("admin:rcp_rcpactivity_export")}' in page
    assert reverse("admin:rcp_rcpactivity_import") != reverse("admin:rcp_rcpactivity_import_file")
