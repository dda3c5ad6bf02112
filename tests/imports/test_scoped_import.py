"""A centre's editor imports only rows of their own centres, never what only the
network's managers decide; anything else rejects the whole file."""

import pytest
from django.urls import reverse

from centres.models import Role
from tests.db_snapshot import differences, snapshot

from .conftest import NOW, XLSX, confirm, export, preview, text_of

pytestmark = pytest.mark.time_machine(NOW, tick=False)

NB = "\u00a0"


def edited(content: bytes, old: str, new: str) -> bytes:
    text = content.decode("utf-8-sig")
    assert old in text
    return ("\ufeff" + text.replace(old, new)).encode()


def test_editor_updates_their_centre_from_their_own_export(client, world):
    client.force_login(world.a.editor)
    content = edited(export(client, "centres_centre"), "02 98 22 33 33", "02 98 00 00 00")

    response = preview(client, "centres_centre", content)

    assert "0 ligne à créer, 1 à mettre à jour, 0 inchangée, 0 rejetée." in text_of(response)
    assert confirm(client, "centres_centre", response).status_code == 302
    world.a.centre.refresh_from_db()
    assert world.a.centre.phone == "02 98 00 00 00"


def test_editor_sending_another_centre_is_refused_whole(client, world):
    client.force_login(world.pilot)
    everything = export(client, "centres_centre")  # both centres, as the pilot sees them
    client.force_login(world.a.editor)
    before = snapshot()

    response = preview(client, "centres_centre", everything)

    page = text_of(response)
    assert response.context.get("confirm_form") is None
    assert f"«{NB}Centre b{NB}» ne relève pas de vos centres" in page
    assert differences(before, snapshot()) == []


def test_editor_cannot_change_a_network_only_column(client, world):
    client.force_login(world.a.editor)
    content = edited(export(client, "centres_centre"), ";expert;", ";pilot;")
    before = snapshot()

    response = preview(client, "centres_centre", content)

    page = text_of(response)
    assert f"Ligne 2{NB}: la colonne «{NB}type{NB}» est réservée au pilotage du réseau" in page
    assert differences(before, snapshot()) == []


def test_editor_cannot_add_a_centre(client, world):
    client.force_login(world.a.editor)
    content = edited(export(client, "centres_centre"), "centre-a;", "centre-nouveau;")
    before = snapshot()

    response = preview(client, "centres_centre", content)

    assert "vous ne pouvez pas créer de nouvelle fiche ici" in text_of(response)
    assert differences(before, snapshot()) == []


def test_editor_cannot_move_a_role_to_another_centre_nor_appoint_a_national_role(client, world):
    client.force_login(world.a.editor)
    own = export(client, "centres_role")
    moved = edited(own, ";centre-a;", ";centre-b;")
    national = edited(own, ";secretary;centre-a;", ";national;;")
    before = snapshot()

    for content in (moved, national):
        response = preview(client, "centres_role", content)
        assert "ne relève pas de vos centres" in text_of(response)

    assert differences(before, snapshot()) == []


def test_pilot_adds_a_role_by_xlsx(client, world):
    import io

    import openpyxl

    client.force_login(world.pilot)
    book = openpyxl.load_workbook(io.BytesIO(export(client, "centres_role", XLSX)))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    row = dict.fromkeys(header, None)
    row.update(
        {"personne": "Claude SoignantB", "rôle": "research", "centre": "centre-a", "ordre": 3}
    )
    sheet.append([row[h] for h in header])
    out = io.BytesIO()
    book.save(out)

    response = preview(client, "centres_role", out.getvalue(), XLSX, "roles.xlsx")

    assert "1 ligne à créer, 0 à mettre à jour, 2 inchangées, 0 rejetée." in text_of(response)
    confirm(client, "centres_role", response)
    role = Role.objects.get(person=world.b.person, centre=world.a.centre)
    assert (role.kind, role.order) == ("research", 3)


def test_trials_import_is_for_the_network_managers_only(client, world):
    client.force_login(world.a.editor)

    assert client.get(reverse("admin:trials_trial_import")).status_code == 403
    assert client.get(reverse("admin:trials_trial_export")).status_code == 200


def test_confirmation_rolls_back_whole_if_the_data_changed_since_the_preview(client, world):
    """All or nothing at the second step too: a row that no longer passes writes nothing."""
    from rcp.models import Rcp

    client.force_login(world.pilot)
    content = (
        "\ufeffRCP;date;dossiers discutés;médecins présents;spécialités représentées\r\n"
        "rcp-a;2026-11-03;12;11;5\r\n"
        "rcp-b;2026-11-10;7;6;4\r\n"
    ).encode()
    response = preview(client, "rcp_rcpactivity", content)
    assert "2 lignes à créer" in text_of(response)
    Rcp.objects.filter(pk=world.b.rcp.pk).update(slug="rcp-b-renommee")  # meanwhile
    before = snapshot()

    done = confirm(client, "rcp_rcpactivity", response)

    assert differences(before, snapshot()) == []
    page = text_of(client.get(done["Location"]))
    assert f"Le fichier n’a pas été importé{NB}: rien n’a été enregistré" in page


def test_an_imported_change_is_in_the_rows_history_with_its_author(client, world):
    client.force_login(world.a.editor)
    content = edited(export(client, "centres_centre"), "02 98 22 33 33", "02 98 00 00 00")
    confirm(client, "centres_centre", preview(client, "centres_centre", content))

    record = world.a.centre.history.first()
    assert (record.phone, record.history_change_reason, record.history_user) == (
        "02 98 00 00 00",
        "Import",
        world.a.editor,
    )
