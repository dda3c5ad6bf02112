"""Files that are not what the form expects: a French message, nothing written."""

import pytest

from tests.db_snapshot import differences, snapshot

from .conftest import CSV, NOW, XLSX, preview, text_of

pytestmark = pytest.mark.time_machine(NOW, tick=False)


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (b"\x00\xff\xfe garbage \x00", CSV),
        (b"not a workbook", XLSX),
        (b"", CSV),
        ("\ufeffnom;commune\r\nCentre x;Brest\r\n".encode(), CSV),  # no key column
        ("\ufeffidentifiant;latitude\r\ncentre-a;beaucoup\r\n".encode(), CSV),
        (("identifiant;nom\r\ncentre-a;Hôpital " + "x" * 300 + "\r\n").encode("cp1252"), CSV),
    ],
    ids=["binary", "not-xlsx", "empty", "no-key-column", "not-a-number", "too-long"],
)
def test_bad_file_is_refused_in_french_and_writes_nothing(client, world, content, fmt):
    client.force_login(world.pilot)
    before = snapshot()

    response = preview(client, "centres_centre", content, fmt)

    assert response.status_code < 500
    assert response.context.get("confirm_form") is None
    assert differences(before, snapshot()) == []


def test_a_number_column_with_text_says_so_in_french(client, world):
    client.force_login(world.pilot)

    response = preview(client, "centres_centre", b"identifiant;latitude\r\ncentre-a;beaucoup\r\n")

    nb = "\u00a0"
    assert (
        f"Ligne 2, colonne «{nb}latitude{nb}»{nb}: «{nb}beaucoup{nb}» illisible{nb}: "
        "un nombre est attendu"
    ) in text_of(response)


def test_windows_1252_csv_from_excel_is_read(client, world):
    """Excel under Windows saves « CSV (séparateur : point-virgule) » in Windows-1252."""
    client.force_login(world.pilot)
    content = "identifiant;nom\r\ncentre-a;Hôpital d’Éaubonne\r\n".encode("cp1252")

    response = preview(client, "centres_centre", content)

    assert "0 ligne à créer, 1 à mettre à jour" in text_of(response)
    assert "Hôpital d’Éaubonne" in text_of(response)


def test_a_file_past_the_row_limit_is_refused_whole(client, world, monkeypatch):
    from centres.resources import ScopedResource

    monkeypatch.setattr(ScopedResource, "max_rows", 2)
    client.force_login(world.pilot)
    before = snapshot()
    content = b"identifiant;nom\r\ncentre-a;A\r\ncentre-b;B\r\ncentre-c;C\r\n"

    response = preview(client, "centres_centre", content)

    page = text_of(response)
    assert "Le fichier compte 3 lignes\u00a0: 2 au plus par fichier." in page
    assert response.context.get("confirm_form") is None
    assert differences(before, snapshot()) == []


def test_a_file_too_heavy_is_refused(client, world, monkeypatch):
    from centres import admin_import

    monkeypatch.setattr(admin_import, "MAX_UPLOAD_BYTES", 10)
    client.force_login(world.pilot)

    response = preview(client, "centres_centre", b"identifiant;nom\r\ncentre-a;A\r\n")

    assert "Fichier trop lourd\u00a0: 10\u00a0Mo au plus." in text_of(response)
