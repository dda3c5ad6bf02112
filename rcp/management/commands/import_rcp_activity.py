"""Import the meetings held by RCPs from a CSV file (see docs/rcp-activity-csv.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.history import short_reason
from rcp.models import Rcp
from rcp.services import MAX_BYTES, import_activity_csv


class Command(BaseCommand):
    help = (
        "Importe l’activité des RCP (une ligne par séance tenue) depuis un fichier CSV. "
        "Un fichier qui contient une erreur est refusé en entier. "
        "Colonnes acceptées : docs/rcp-activity-csv.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier CSV (séparateur ; ou ,), UTF-8 ou Windows-1252.")
        parser.add_argument(
            "--rcp",
            metavar="SLUG",
            help="Identifiant de la RCP quand le fichier n’en concerne qu’une "
            "(la colonne rcp devient facultative).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie le fichier et compte ce qui serait importé, sans rien enregistrer.",
        )

    def handle(self, *args, path, rcp=None, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        if file.stat().st_size > MAX_BYTES:
            raise CommandError(f"Le fichier dépasse {MAX_BYTES // 1024 // 1024} Mo ; découpez-le.")
        only = None
        if rcp:
            only = Rcp.objects.filter(slug=rcp).first()
            if only is None:
                raise CommandError(f"RCP inconnue : {rcp}")
        result = import_activity_csv(
            raw=file.read_bytes(),
            rcp=only,
            dry_run=dry_run,
            reason=short_reason(f"Import CSV de l’activité (commande, {file.name})"),
        )
        if not result.ok:
            raise CommandError(
                "Fichier refusé, rien n’a été importé :\n" + "\n".join(result.errors)
            )
        if result.ignored_columns:
            self.stdout.write("Colonnes ignorées : " + ", ".join(result.ignored_columns))
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(
            f"{result.created} séances {verb} ajoutées, {result.updated} mises à jour, "
            f"{result.unchanged} déjà à jour."
        )
