"""CSV import of activity records: good files, bad files, nothing half-imported."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rcp.models import RcpActivity
from rcp.services import import_activity_csv

from .factories import make_activity, make_rcp

pytestmark = pytest.mark.django_db

HEADER = (
    "rcp;date;dossiers_discutes;premieres_presentations;medecins_presents;"
    "specialites_representees;centres_representes\n"
)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Paris")), tick=False)


@pytest.fixture
def rcp():
    return make_rcp(slug="recours-pancreas", first_date=date(2025, 1, 7))


def test_good_file_is_imported(rcp):
    raw = (
        HEADER
        + "recours-pancreas;2026-11-03;12;8;11;5;4\n"
        + "recours-pancreas;10/11/2026;9;6;10;5;3\n"
    ).encode()
    result = import_activity_csv(raw=raw)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    stored = RcpActivity.objects.get(rcp=rcp, date=date(2026, 11, 10))
    assert (stored.files_discussed, stored.first_presentations, stored.doctors_present) == (
        9,
        6,
        10,
    )
    assert (stored.specialties_present, stored.centres_represented) == (5, 3)
    assert stored.source == RcpActivity.Source.IMPORT


def test_excel_export_with_aliases_bom_cp1252_and_extra_columns(rcp):
    raw = (
        "Identifiant RCP;Date réunion;Nb dossiers;Nouveaux dossiers;Nb médecins;"
        "Nb spécialités;Commentaire\r\n"
        "recours-pancreas;03/11/2026;12;8;11;5;Séance très chargée\r\n"
        ";;;;;;\r\n"
    ).encode("cp1252")
    result = import_activity_csv(raw=raw)
    assert result.ok, result.errors
    assert result.created == 1
    assert result.ignored_columns == ["Commentaire"]
    assert RcpActivity.objects.get().centres_represented == 1  # default
    bom = (
        "\ufeff" + HEADER.replace(";", ",") + "recours-pancreas,2026-11-10,9,6,10,5,3\n"
    ).encode()
    assert import_activity_csv(raw=bom).created == 1


def test_reimporting_updates_instead_of_duplicating(rcp):
    make_activity(rcp, date(2026, 11, 3), files_discussed=4, first_presentations=1)
    raw = (HEADER + "recours-pancreas;2026-11-03;12;8;11;5;4\n").encode()
    result = import_activity_csv(raw=raw)
    assert (result.created, result.updated) == (0, 1)
    assert RcpActivity.objects.get().files_discussed == 12
    again = import_activity_csv(raw=raw)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert RcpActivity.objects.count() == 1


def test_bad_file_is_refused_whole_with_line_numbers(rcp):
    raw = (
        HEADER
        + "recours-pancreas;2026-11-03;12;8;11;5;4\n"  # line 2: good
        + "recours-pancreas;31/02/2026;12;8;11;5;4\n"  # line 3: no such date
        + "inconnue;2026-11-03;12;8;11;5;4\n"  # line 4: unknown RCP
        + "recours-pancreas;2026-11-10;douze;8;11;5;4\n"  # line 5: not a number
        + "recours-pancreas;2026-11-17;5;8;11;5;4\n"  # line 6: first > files
        + "recours-pancreas;2026-12-01;5;1;11;5;4\n"  # line 7: future
        + "recours-pancreas;2026-11-03;12;8;11;5;4\n"  # line 8: duplicate of line 2
        + "recours-pancreas;2026-10-06;12;8;;5;4\n"  # line 9: empty required number
        + "recours-pancreas;2026-10-13;9999;8;11;5;4\n"  # line 10: implausible
    ).encode()
    result = import_activity_csv(raw=raw)
    assert not result.ok
    assert result.errors == [
        "Ligne 3\u00a0: date «\u00a031/02/2026\u00a0» illisible ou inexistante (AAAA-MM-JJ ou "
        "JJ/MM/AAAA).",
        "Ligne 4\u00a0: RCP inconnue ou hors de vos droits\u00a0: «\u00a0inconnue\u00a0».",
        "Ligne 5\u00a0: dossiers_discutes «\u00a0douze\u00a0» n’est pas un nombre entier positif.",
        "Ligne 6\u00a0: premières présentations (8) supérieures aux dossiers discutés (5).",
        "Ligne 7\u00a0: la date 01/12/2026 est dans le futur.",
        "Ligne 8\u00a0: la séance du 03/11/2026 de «\u00a0recours-pancreas\u00a0» figure déjà "
        "ligne 2.",
        "Ligne 9\u00a0: medecins_presents est vide.",
        "Ligne 10\u00a0: dossiers_discutes = 9999 dépasse la valeur plausible (500).",
    ]
    assert RcpActivity.objects.count() == 0


def test_missing_columns_are_named(rcp):
    result = import_activity_csv(raw=b"rcp;date;dossiers\nrecours-pancreas;2026-11-03;12\n")
    assert result.errors == [
        "Ligne 1\u00a0: colonne obligatoire manquante\u00a0: medecins_presents, "
        "specialites_representees."
    ]


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "le fichier est vide"),
        (b"\x00\x01\x02PK", "n’est pas un fichier texte CSV"),
        (HEADER.encode(), "aucune séance"),
        (b"x" * (3 * 1024 * 1024), "dépasse 2\u00a0Mo"),
    ],
)
def test_files_that_are_not_activity_files(rcp, raw, message):
    result = import_activity_csv(raw=raw)
    assert not result.ok
    assert message in result.errors[0]


def test_import_is_limited_to_the_allowed_rcps(rcp):
    other = make_rcp(slug="autre-rcp")
    raw = (HEADER + "autre-rcp;2026-11-03;12;8;11;5;4\n").encode()
    from rcp.models import Rcp

    result = import_activity_csv(raw=raw, allowed_rcps=Rcp.objects.filter(pk=rcp.pk))
    assert result.errors == [
        "Ligne 2\u00a0: RCP inconnue ou hors de vos droits\u00a0: «\u00a0autre-rcp\u00a0»."
    ]
    assert not other.activities.exists()


def test_import_for_one_rcp_without_rcp_column(rcp):
    raw = b"date;dossiers;medecins;specialites\n2026-11-03;12;11;5\n"
    result = import_activity_csv(raw=raw, rcp=rcp)
    assert result.ok and result.created == 1


def test_dry_run_stores_nothing(rcp):
    raw = (HEADER + "recours-pancreas;2026-11-03;12;8;11;5;4\n").encode()
    result = import_activity_csv(raw=raw, dry_run=True)
    assert result.created == 1
    assert RcpActivity.objects.count() == 0


def test_command_imports_and_refuses(rcp, tmp_path):
    good = tmp_path / "bon.csv"
    good.write_text(HEADER + "recours-pancreas;2026-11-03;12;8;11;5;4\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_rcp_activity", str(good), stdout=out)
    assert "1 séances ont été ajoutées" in out.getvalue()
    bad = tmp_path / "mauvais.csv"
    bad.write_text(HEADER + "recours-pancreas;hier;12;8;11;5;4\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_rcp_activity", str(bad))
    assert "Ligne 2\u00a0: date «\u00a0hier\u00a0»" in str(error.value)
    with pytest.raises(CommandError):
        call_command("import_rcp_activity", str(tmp_path / "absent.csv"))
