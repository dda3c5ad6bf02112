"""`manage.py restore DIR`: put back a backup made by `manage.py backup`.

Before anything changes, the backup is checked whole (its manifest, each file's
SHA-256, the database it was made from, the tools at hand). Then the database is
replaced: SQLite through SQLite's backup API, PostgreSQL with `pg_restore --clean
--if-exists --no-owner` in a single transaction (a failure leaves it as it was);
and the media files are written into MEDIA_ROOT, the retired ones into the
retired media directory (a file of the same name is replaced; files the backup
does not hold are left alone; a backup made before retired media has none).
"""

import json
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from core.retired_media import retired_root

from .backup import (
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_ARCHIVE,
    RETIRED_ARCHIVE,
    database_vendor,
    describe,
    pg_connection_args,
    pg_tool,
    run_tool,
    sha256,
    tool_version,
)


def read_manifest(directory: Path) -> dict:
    """The backup's manifest, once every file it lists is there and unchanged."""
    if not directory.is_dir():
        raise CommandError(f"{directory} is not a directory.")
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        raise CommandError(
            f"{directory} is not a backup made by `manage.py backup`: it has no {MANIFEST}."
        ) from None
    except (ValueError, OSError) as exc:
        raise CommandError(f"{directory / MANIFEST} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise CommandError(f"{directory / MANIFEST} is not a backup manifest this code reads.")
    for name, digest in manifest.get("sha256", {}).items():
        path = directory / name
        if not path.is_file():
            raise CommandError(f"The backup is incomplete: {name} is missing. Nothing changed.")
        if sha256(path) != digest:
            raise CommandError(
                f"The backup is damaged: {name} is not the file that was written "
                "(its SHA-256 differs). Nothing changed."
            )
    database = manifest.get("database", {})
    if database.get("file") not in manifest.get("sha256", {}) or MEDIA_ARCHIVE not in manifest.get(
        "sha256", {}
    ):
        raise CommandError(f"{directory / MANIFEST} does not list the database and the media.")
    return manifest


def check_media(archive: Path, root: Path) -> int:
    """The number of files in the media archive, once it is known to read whole
    and to write nothing outside MEDIA_ROOT (no absolute path, no "..", no link
    out of it, no device file: tarfile's "data" filter)."""
    count = 0
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                tarfile.data_filter(member, str(root))
                if member.isfile():
                    # Read whole: a truncated archive fails here, not halfway through.
                    with tar.extractfile(member) as file:
                        while file.read(1 << 20):
                            pass
                    count += 1
    except tarfile.FilterError as exc:
        raise CommandError(
            f"{archive.name} holds an unsafe path ({exc}). Nothing changed."
        ) from exc
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise CommandError(f"{archive.name} cannot be read ({exc}). Nothing changed.") from exc
    return count


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` (a pantogether-YYYYMMDD-HHMMSS "
        "directory): replaces the whole database named by DATABASE_URL and writes the "
        "media files into MEDIA_ROOT. Stop the web server first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup directory.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, directory, interactive, **options):
        source = Path(directory).expanduser().resolve()
        manifest = read_manifest(source)
        connection = connections[DEFAULT_DB_ALIAS]
        vendor = database_vendor(connection)
        made_from = manifest["database"]
        if made_from.get("vendor") != vendor:
            raise CommandError(
                f"This backup is of a {made_from.get('vendor')} database and DATABASE_URL "
                f"names a {vendor} one: restore it into a {made_from.get('vendor')} database. "
                "Nothing changed."
            )
        pg_restore = None
        if vendor == "postgresql":
            pg_restore = pg_tool("pg_restore")
            tool, major = tool_version(pg_restore)
            if major < made_from.get("tool_major", 0):
                raise CommandError(
                    f"{tool} cannot read a dump made by {made_from.get('tool')}: install the "
                    f"client tools of version {made_from['tool_major']} or newer. Nothing changed."
                )
        media_root = Path(settings.MEDIA_ROOT)
        media_files = check_media(source / MEDIA_ARCHIVE, media_root)
        retired = retired_root()
        has_retired = RETIRED_ARCHIVE in manifest.get("sha256", {})
        retired_files = check_media(source / RETIRED_ARCHIVE, retired) if has_retired else 0
        target = describe(connection)
        if interactive:
            try:
                answer = input(
                    f"This replaces every table of {target} with the backup of "
                    f"{manifest.get('created_at')} ({made_from.get('description')}) and "
                    f"writes {media_files} media files into {media_root} and "
                    f"{retired_files} retired media files into {retired}.\n"
                    "Type 'yes' to continue, anything else to stop: "
                )
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError(
                    "Restore cancelled: nothing changed (--no-input restores without asking)."
                )

        database_file = source / made_from["file"]
        if vendor == "sqlite":
            self.restore_sqlite(connection, database_file)
        else:
            self.restore_postgresql(connection, pg_restore, database_file)
        self.stdout.write(f"Database restored: {target}.")
        count = self.restore_media(source / MEDIA_ARCHIVE, media_root)
        self.stdout.write(f"Media restored: {count} files into {media_root}.")
        if has_retired:
            count = self.restore_media(source / RETIRED_ARCHIVE, retired)
            self.stdout.write(f"Retired media restored: {count} files into {retired}.")
        self.report_migrations(connection)
        self.stdout.write(self.style.SUCCESS(f"Restore of {source} complete."))

    def restore_sqlite(self, connection, file: Path) -> None:
        with closing(sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True)) as backup:
            check = backup.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise CommandError(f"{file} is damaged ({check}). Nothing changed.")
            try:
                connection.ensure_connection()
                backup.backup(connection.connection)
            except (sqlite3.Error, DatabaseError) as exc:
                raise CommandError(f"Could not write {describe(connection)}: {exc}") from exc
            finally:
                connection.close()

    def restore_postgresql(self, connection, pg_restore: str, file: Path) -> None:
        args, env = pg_connection_args(connection)
        name = connection.settings_dict["NAME"]
        # Our own connection must not hold a lock the restore waits for.
        connection.close()
        run_tool(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                # All or nothing: a failed restore leaves the database as it was.
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={name}",
                *args,
                str(file),
            ],
            env,
            "pg_restore (the database is unchanged)",
        )

    def restore_media(self, archive: Path, root: Path) -> int:
        try:
            root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(archive, "r:gz") as tar:
                members = [member for member in tar.getmembers() if member.isfile()]
                # The "data" filter refuses absolute paths, "..", links out of the
                # directory and device files.
                tar.extractall(root, members=members, filter="data")
        except (OSError, tarfile.TarError) as exc:
            raise CommandError(
                f"The database was restored but the media files were not: {exc}"
            ) from exc
        return len(members)

    def report_migrations(self, connection) -> None:
        """Say when the restored database and this code's migrations differ."""
        executor = MigrationExecutor(connection)
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
        unknown = set(executor.loader.applied_migrations) - set(executor.loader.graph.nodes)
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"The restored database lacks {len(missing)} migrations of this code: "
                    "run `manage.py migrate`."
                )
            )
        if unknown:
            self.stdout.write(
                self.style.WARNING(
                    f"The restored database has {len(unknown)} migrations this code does not "
                    f"know ({', '.join(sorted('.'.join(m) for m in unknown)[:5])}): it was "
                    "made by a newer version of the portal."
                )
            )
        connection.close()
