"""`manage.py backup` and `manage.py restore`: a backup restored into a fresh
database gives back every row of every model, and the media files (the retired
ones too: a revert after a restore brings back an old photo).

The SQLite round trip runs whatever database the suite uses (in its own files,
through the command line, as an operator runs it); the PostgreSQL one runs when
the suite runs on PostgreSQL (CI does), into a new database made for it.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import global_settings, settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from centres.models import Centre

BASE_DIR = Path(settings.BASE_DIR)
ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]

# Rows the demo data does not bring (a staff account in a group and editor of a
# centre, a missed search, a facility alias) and a media file with a name and
# bytes a careless archive would mangle.
EXTRAS = """
from pathlib import Path
from django.conf import settings
from django.contrib.auth.models import Group, User
from centres.models import Centre
from search.models import MissedSearch
from trials.models import FacilityAlias

user = User.objects.create_user(
    "coordinatrice", email="coordinatrice@chu.example.org",
    password="un mot de passe assez long", is_staff=True,
)
user.groups.add(Group.objects.order_by("name").first())
centre = Centre.objects.order_by("pk").first()
centre.editors.add(user)
MissedSearch.objects.create(words="tumeur neuroendocrine", count=3)
FacilityAlias.objects.create(facility_name="Clinique Exemple", facility_city="Brest", centre=centre)
folder = Path(settings.MEDIA_ROOT) / "documents" / "accès réservé"
folder.mkdir(parents=True, exist_ok=True)
(folder / "compte rendu é.txt").write_bytes("Données d’essai\\n".encode() + bytes(range(256)))
from core.retired_media import retired_root
(retired_root() / "centres").mkdir(parents=True, exist_ok=True)
(retired_root() / "centres" / "ancienne-photo.jpg").write_bytes(bytes(range(256)))
"""


def model_tables() -> list[str]:
    """The table of every model (many-to-many tables included) and Django's
    record of applied migrations."""
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    return sorted(tables | {"django_migrations"})


def rows(cursor, table: str) -> list[tuple]:
    cursor.execute(f'SELECT * FROM "{table}"')
    return sorted(cursor.fetchall(), key=repr)


def files_under(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def assert_same_data(source, restored) -> None:
    """Every row of every model's table, field by field, and a few values by name."""
    empty = []
    for table in model_tables():
        before, after = rows(source, table), rows(restored, table)
        assert len(after) == len(before), table
        assert after == before, table
        if not before:
            empty.append(table)
    for cursor in (source, restored):
        cursor.execute(
            "SELECT email, is_staff, password FROM auth_user WHERE username = 'coordinatrice'"
        )
        email, is_staff, password = cursor.fetchone()
        assert (email, bool(is_staff)) == ("coordinatrice@chu.example.org", True)
        assert password.startswith("pbkdf2_sha256$")
    source.execute("SELECT slug, name, email, phone FROM centres_centre ORDER BY slug")
    restored.execute("SELECT slug, name, email, phone FROM centres_centre ORDER BY slug")
    assert restored.fetchall() == source.fetchall()
    # The data set is not a trivial one: the domain tables all hold rows.
    for table in [
        "centres_centre",
        "centres_person",
        "centres_role",
        "centres_centre_editors",
        "rcp_rcp",
        "rcp_rcpactivity",
        "trials_trial",
        "trials_trialsite",
        "content_newsitem",
        "content_document",
        "search_missedsearch",
        "auth_user",
        "auth_user_groups",
    ]:
        assert table not in empty, table


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def site_env(database_url: str, media_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    return {**env, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}


def test_sqlite_backup_restores_into_a_fresh_database(tmp_path):
    source_db, source_media = tmp_path / "site.sqlite3", tmp_path / "media"
    source = site_env(f"sqlite:///{source_db}", source_media)
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["demo_data"],
        ["create_demo_admin"],
        ["shell", "-c", EXTRAS],
    ):
        result = manage(*command, env=source)
        assert result.returncode == 0, result.stderr

    made = manage("backup", "--output", str(tmp_path / "backups"), env=source)

    assert made.returncode == 0, made.stderr
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.startswith("pantogether-")
    assert f"Backup written to {backup}" in made.stdout
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.sqlite3",
        "manifest.json",
        "media.tar.gz",
        "retired-media.tar.gz",
    ]
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["media"]["files"] == len(files_under(source_media)) > 1
    source_retired = tmp_path / "media-retired"  # beside MEDIA_ROOT, by default
    assert manifest["retired_media"]["files"] == len(files_under(source_retired)) == 1

    fresh_db, fresh_media = tmp_path / "fresh" / "site.sqlite3", tmp_path / "fresh-media"
    fresh_db.parent.mkdir()
    restored = manage(
        "restore", str(backup), "--no-input", env=site_env(f"sqlite:///{fresh_db}", fresh_media)
    )

    assert restored.returncode == 0, restored.stderr
    assert f"Restore of {backup} complete." in restored.stdout
    with sqlite3.connect(source_db) as a, sqlite3.connect(fresh_db) as b:
        assert_same_data(a.cursor(), b.cursor())
    assert files_under(fresh_media) == files_under(source_media)
    assert "documents/accès réservé/compte rendu é.txt" in files_under(fresh_media)
    assert files_under(tmp_path / "fresh-media-retired") == files_under(source_retired)
    assert "centres/ancienne-photo.jpg" not in files_under(fresh_media)
    # The restored database is the code's: nothing left to migrate.
    check = manage("migrate", "--check", env=site_env(f"sqlite:///{fresh_db}", fresh_media))
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_of_a_directory_that_is_no_backup_fails_with_a_message(tmp_path):
    result = manage(
        "restore",
        str(tmp_path),
        "--no-input",
        env=site_env(f"sqlite:///{tmp_path}/x.sqlite3", tmp_path),
    )

    assert result.returncode == 1
    assert f"{tmp_path} is not a backup made by `manage.py backup`: it has no manifest.json." in (
        result.stderr
    )
    assert not (tmp_path / "x.sqlite3").exists()


def _fake_backup(directory: Path, vendor: str, media: dict[str, bytes] | None = None) -> Path:
    """A backup directory with the right shape and checksums; its database file is
    not restorable, its media archive holds `media` (name: bytes), or is no archive."""
    directory.mkdir()
    database = directory / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
    database.write_bytes(b"not a database")
    if media is None:
        (directory / "media.tar.gz").write_bytes(b"not an archive")
    else:
        with tarfile.open(directory / "media.tar.gz", "w:gz") as tar:
            for name, data in media.items():
                member = tarfile.TarInfo(name)
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
    manifest = {
        "format": 1,
        "created_at": "2026-12-07T02:00:00+00:00",
        "database": {"vendor": vendor, "file": database.name, "description": "test"},
        "media": {"file": "media.tar.gz", "root": "/srv/media", "files": 0, "bytes": 0},
        "sha256": {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (database, directory / "media.tar.gz")
        },
    }
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return directory


def test_damaged_backup_is_refused_before_anything_changes(tmp_path, centre):
    backup = _fake_backup(tmp_path / "b", connection.vendor)
    (backup / "media.tar.gz").write_bytes(b"changed since")

    with pytest.raises(CommandError, match="The backup is damaged: media.tar.gz"):
        call_command("restore", str(backup), "--no-input")

    assert Centre.objects.filter(pk=centre.pk).exists()


def test_incomplete_backup_is_refused(tmp_path, db):
    backup = _fake_backup(tmp_path / "b", connection.vendor)
    (backup / "media.tar.gz").unlink()

    with pytest.raises(CommandError, match="The backup is incomplete: media.tar.gz is missing"):
        call_command("restore", str(backup), "--no-input")


def test_media_archive_writing_outside_media_root_is_refused(tmp_path, centre, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup = _fake_backup(tmp_path / "b", connection.vendor, {"../outside.txt": b"x"})

    with pytest.raises(CommandError, match="media.tar.gz holds an unsafe path"):
        call_command("restore", str(backup), "--no-input")

    assert not (tmp_path / "outside.txt").exists()
    assert Centre.objects.filter(pk=centre.pk).exists()


def test_retired_media_archive_writing_outside_its_directory_is_refused(tmp_path, centre, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup = _fake_backup(tmp_path / "b", connection.vendor, {"a.txt": b"a"})
    with tarfile.open(backup / "retired-media.tar.gz", "w:gz") as tar:
        member = tarfile.TarInfo("../media/centres/x.jpg")
        member.size = 1
        tar.addfile(member, io.BytesIO(b"x"))
    manifest = json.loads((backup / "manifest.json").read_text())
    archive = (backup / "retired-media.tar.gz").read_bytes()
    manifest["sha256"]["retired-media.tar.gz"] = hashlib.sha256(archive).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="retired-media.tar.gz holds an unsafe path"):
        call_command("restore", str(backup), "--no-input")

    assert not (tmp_path / "media" / "centres" / "x.jpg").exists()
    assert Centre.objects.filter(pk=centre.pk).exists()


def test_truncated_media_archive_is_refused(tmp_path, db, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup = _fake_backup(tmp_path / "b", connection.vendor, {"a.pdf": bytes(200_000)})
    archive = backup / "media.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-300])
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["sha256"]["media.tar.gz"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="media.tar.gz cannot be read"):
        call_command("restore", str(backup), "--no-input")


def test_restore_asks_first_and_changes_nothing_without_yes(tmp_path, centre, monkeypatch):
    backup = _fake_backup(tmp_path / "b", connection.vendor, {"a.txt": b"a"})
    questions = []
    monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or "non")

    with pytest.raises(CommandError, match="Restore cancelled: nothing changed"):
        call_command("restore", str(backup))

    assert "Type 'yes' to continue" in questions[0]
    assert Centre.objects.filter(pk=centre.pk).exists()


def test_backup_of_another_database_kind_is_refused(tmp_path, centre):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    backup = _fake_backup(tmp_path / "b", other)

    with pytest.raises(CommandError, match=f"This backup is of a {other} database"):
        call_command("restore", str(backup), "--no-input")

    assert Centre.objects.filter(pk=centre.pk).exists()


def test_backup_into_a_place_that_is_a_file_fails_with_a_message(tmp_path, db):
    (tmp_path / "taken").write_text("")

    with pytest.raises(CommandError, match="Cannot create the output directory"):
        call_command("backup", "--output", str(tmp_path / "taken" / "backups"))


# --- PostgreSQL ---------------------------------------------------------------

needs_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="pg_dump and pg_restore apply to a PostgreSQL database and the suite runs on "
    "SQLite: these run when it runs on PostgreSQL (CI: DATABASE_URL=postgres://...); the "
    "SQLite backup and restore above ran",
)


def _url(settings_dict: dict, name: str) -> str:
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"


def _psycopg(settings_dict: dict, name: str):
    import psycopg

    params = {"dbname": name, "user": settings_dict.get("USER")}
    params |= {"password": settings_dict.get("PASSWORD"), "host": settings_dict.get("HOST")}
    params |= {"port": settings_dict.get("PORT"), "options": "-c TimeZone=UTC"}
    return psycopg.connect(**{k: v for k, v in params.items() if v})


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_backup_restores_into_a_new_database(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The password hashed as production hashes it (the suite uses MD5, for speed).
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    call_command("demo_data", stdout=io.StringIO())
    call_command("create_demo_admin", stdout=io.StringIO())
    exec(EXTRAS, {})  # noqa: S102 - the test's own code
    out = tmp_path / "backups"

    call_command("backup", "--output", str(out), stdout=io.StringIO())

    (backup,) = out.iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["tool_major"] >= server_major
    assert (backup / "database.pgdump").read_bytes()[:5] == b"PGDMP"  # custom format

    sd = connection.settings_dict
    fresh = f"{sd['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        result = manage(
            "restore",
            str(backup),
            "--no-input",
            env=site_env(_url(sd, fresh), tmp_path / "fresh-media"),
        )
        assert result.returncode == 0, result.stderr
        # Both read through the same kind of connection (Django's own would decode
        # JSON and time zones its way).
        with _psycopg(sd, sd["NAME"]) as source, _psycopg(sd, fresh) as restored:
            assert_same_data(source.cursor(), restored.cursor())
            # The sequences came back too: the next row does not collide.
            cur = restored.cursor()
            cur.execute("SELECT max(id) FROM centres_centre")
            highest = cur.fetchone()[0]
            cur.execute("SELECT nextval(pg_get_serial_sequence('centres_centre', 'id'))")
            assert cur.fetchone()[0] > highest
        assert files_under(tmp_path / "fresh-media") == files_under(tmp_path / "media")
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@needs_postgresql
def test_pg_dump_older_than_the_server_is_refused(tmp_path, db, monkeypatch):
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")

    with pytest.raises(CommandError, match="pg_dump \\(PostgreSQL\\) 9.6.24 cannot dump"):
        call_command("backup", "--output", str(tmp_path / "backups"))

    assert not any((tmp_path / "backups").iterdir())
