"""`manage.py backup`: the database and the uploaded media files, in a new directory.

A backup is a directory holding:

- `database.sqlite3` (SQLite, copied with SQLite's online backup API while the
  site runs) or `database.pgdump` (PostgreSQL, `pg_dump --format=custom`);
- `media.tar.gz`: every file under MEDIA_ROOT;
- `retired-media.tar.gz`: every file under the retired media directory (photos
  replaced or deleted, kept for a revert or a restore from the « corbeille »;
  see core/retired_media.py);
- `manifest.json`: when, from which database and with which tools it was made,
  and the SHA-256 of each file, which `manage.py restore` checks before it
  changes anything.

The directory is written under a temporary name and renamed when complete, so a
directory named `pantogether-*` is always a whole backup. The helpers below are
shared with `restore.py`.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from core.retired_media import retired_root

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
RETIRED_ARCHIVE = "retired-media.tar.gz"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT_VERSION = 1


def database_vendor(connection) -> str:
    """`sqlite` or `postgresql` (from DATABASE_URL); any other database is refused."""
    if connection.vendor not in DATABASE_FILES:
        raise CommandError(
            f"Backups support SQLite and PostgreSQL, not {connection.vendor} (DATABASE_URL)."
        )
    return connection.vendor


def describe(connection) -> str:
    """The database as an operator names it: `PostgreSQL pantogether on 127.0.0.1:5432`."""
    sd = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {sd['NAME']}"
    where = f"{sd.get('HOST') or 'local socket'}{':' + str(sd['PORT']) if sd.get('PORT') else ''}"
    return f"PostgreSQL {sd['NAME']} on {where}"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- PostgreSQL tools ---------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of `pg_dump` or `pg_restore`, or a clear error when it is missing."""
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} is not on PATH: install the PostgreSQL client tools of the server's "
            "version (Debian: apt-get install postgresql-client-15)."
        )
    return path


def tool_version(path: str) -> tuple[str, int]:
    """(`pg_dump (PostgreSQL) 15.20`, 15) from `pg_dump --version`."""
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    text = result.stdout.strip()
    match = re.search(r"\) (\d+)", text)
    if result.returncode != 0 or match is None:
        raise CommandError(f"Could not read the version of {path}: {text or result.stderr}")
    return text, int(match.group(1))


def server_major(connection) -> tuple[str, int]:
    """The PostgreSQL server's version: (`15.20`, 15)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW server_version_num")
        number = int(cursor.fetchone()[0])
    return version.split()[0], number // 10000


def pg_connection_args(connection) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for libpq tools: the password and the
    SSL options go through the environment (never on a command line `ps` shows)."""
    sd = connection.settings_dict
    args = ["--no-password"]
    if sd.get("USER"):
        args.append(f"--username={sd['USER']}")
    if sd.get("HOST"):
        args.append(f"--host={sd['HOST']}")
    if sd.get("PORT"):
        args.append(f"--port={sd['PORT']}")
    _, extra = connection.client.settings_to_cmd_args_env(sd, [])
    return args, {**os.environ, **(extra or {})}


def run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise CommandError(f"{what} failed (exit status {result.returncode}):\n{detail}")


# --- The command -------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump for PostgreSQL, SQLite's online backup API for "
        "SQLite, chosen from DATABASE_URL), MEDIA_ROOT and the retired media (tar.gz "
        "archives) into a new directory pantogether-YYYYMMDD-HHMMSS under --output. Restore with "
        "`manage.py restore DIR`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "backups"),
            help="Directory that receives the new backup directory (default: backups/).",
        )

    def handle(self, *args, output, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        vendor = database_vendor(connection)
        parent = Path(output).expanduser().resolve()
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create the output directory {parent}: {exc}") from exc
        name = "pantogether-" + timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = parent / name
        if target.exists():
            raise CommandError(f"{target} already exists: try again in a second.")
        partial = parent / f".{name}.partial"
        try:
            partial.mkdir()
            # Nobody but the owner reads a backup: it holds staff accounts.
            partial.chmod(0o700)
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "database": self.dump_database(connection, vendor, partial),
                "media": self.archive_media(Path(settings.MEDIA_ROOT), partial / MEDIA_ARCHIVE),
                "retired_media": self.archive_media(retired_root(), partial / RETIRED_ARCHIVE),
            }
            manifest["sha256"] = {
                path.name: sha256(path) for path in sorted(partial.iterdir()) if path.is_file()
            }
            (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
            partial.rename(target)
        except OSError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise CommandError(f"Backup failed: {exc}") from exc
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        media, retired = manifest["media"], manifest["retired_media"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target}: {manifest['database']['description']} "
                f"({manifest['database']['file']}), {media['files']} media files "
                f"({media['bytes']} bytes) from {media['root']}, {retired['files']} retired "
                f"media files from {retired['root']}."
            )
        )

    def dump_database(self, connection, vendor: str, directory: Path) -> dict:
        """Write the database's file into `directory`; its manifest entry."""
        file = directory / DATABASE_FILES[vendor]
        entry = {"vendor": vendor, "file": file.name, "description": describe(connection)}
        if vendor == "sqlite":
            connection.ensure_connection()
            # The online backup API copies a consistent snapshot while the site
            # keeps running (a plain file copy could catch a write half done).
            with closing(sqlite3.connect(file)) as copy:
                connection.connection.backup(copy)
                check = copy.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise CommandError(f"The SQLite copy is damaged ({check}): nothing was kept.")
            entry["sqlite_version"] = sqlite3.sqlite_version
            return entry
        pg_dump = pg_tool("pg_dump")
        tool, tool_major = tool_version(pg_dump)
        server, major = server_major(connection)
        if tool_major < major:
            raise CommandError(
                f"{tool} cannot dump a PostgreSQL {server} server: install the client "
                f"tools of version {major} or newer (Debian: postgresql-client-{major})."
            )
        args, env = pg_connection_args(connection)
        run_tool(
            [pg_dump, "--format=custom", f"--file={file}", *args, connection.settings_dict["NAME"]],
            env,
            "pg_dump",
        )
        entry.update(tool=tool, tool_major=tool_major, server_version=server)
        return entry

    def archive_media(self, root: Path, archive: Path) -> dict:
        """Every regular file under ``root``, by its path relative to it."""
        count = size = 0
        with tarfile.open(archive, "w:gz") as tar:
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                        count += 1
                        size += path.stat().st_size
        return {"file": archive.name, "root": str(root), "files": count, "bytes": size}
