"""Exporting then importing the same file changes nothing, in CSV and in XLSX;
the CSV is French Excel's (BOM, semicolons); an editor exports only their rows."""

import io

import openpyxl
import pytest

from tests.db_snapshot import differences, snapshot
from tests.factories import make_person, make_role

from .conftest import CSV, NOW, XLSX, confirm, export, preview, text_of

pytestmark = pytest.mark.time_machine(NOW, tick=False)

ADMINS = [
    "centres_centre",
    "centres_person",
    "centres_role",
    "rcp_rcp",
    "rcp_rcpactivity",
    "trials_trial",
]


@pytest.fixture
def richer_world(world, axes):
    """Values that travel badly: accents, a person without e-mail, several axes."""
    world.a.centre.name = "Centre hospitalier universitaire d’Éaubonne ; « test »"
    world.a.centre.finess = "290000017"
    world.a.centre.save()
    world.a.rcp.axes.set(axes.values())
    world.a.trial.axes.set([axes["pancreas"]])
    world.a.person.email = "claude.a@chu-a.fr"
    world.a.person.save()
    without_email = make_person(first_name="Dominique", last_name="Sans-Courriel", email="")
    make_role(without_email, centre=world.a.centre, kind="nurse")
    return world


@pytest.mark.parametrize("fmt", [CSV, XLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize("admin_name", ADMINS)
def test_export_then_import_changes_nothing(client, richer_world, admin_name, fmt):
    client.force_login(richer_world.pilot)
    content = export(client, admin_name, fmt)
    before = snapshot()

    response = preview(client, admin_name, content, fmt, "export.xlsx" if fmt else "export.csv")

    assert response.status_code == 200
    page = text_of(response)
    assert "0 ligne à créer, 0 à mettre à jour," in page, page[-2000:]
    assert "0 rejetée." in page
    done = confirm(client, admin_name, response)
    assert done.status_code == 302
    assert differences(before, snapshot()) == []


def test_csv_export_is_french_excel_csv(client, richer_world):
    client.force_login(richer_world.pilot)

    content = export(client, "centres_centre", CSV)

    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("identifiant;FINESS;nom;nom usuel;type;")
    row = next(line for line in lines if line.startswith("centre-a;"))
    name = "Centre hospitalier universitaire d’Éaubonne ; « test »"
    assert row.startswith(f'centre-a;290000017;"{name}";')  # quoted: it holds a semicolon


def test_xlsx_export_has_french_headers_and_rows(client, richer_world):
    client.force_login(richer_world.pilot)

    content = export(client, "rcp_rcpactivity", XLSX)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("RCP", "date", "dossiers discutés")
    assert sorted(r[0] for r in rows[1:]) == ["rcp-a", "rcp-b"]


@pytest.mark.parametrize(
    ("admin_name", "own", "other"),
    [
        ("centres_centre", "centre-a;", "centre-b;"),
        ("centres_role", ";centre-a;", ";centre-b;"),
        ("centres_person", "SoignantA", "SoignantB"),
        ("rcp_rcp", "rcp-a;", "rcp-b;"),
        ("rcp_rcpactivity", "rcp-a;", "rcp-b;"),
        ("trials_trial", "Essai brouillon a", "Essai brouillon b"),
    ],
)
def test_editor_exports_only_their_centres_rows(client, world, admin_name, own, other):
    client.force_login(world.a.editor)

    text = export(client, admin_name, CSV).decode("utf-8-sig")

    assert own in text
    assert other not in text


def test_editor_exports_only_their_rows_even_with_a_filter_for_another_centre(client, world):
    client.force_login(world.a.editor)

    text = export(client, "rcp_rcp", CSV, f"?organiser__id__exact={world.b.centre.pk}")

    assert b"rcp-b" not in text
