"""Load the demonstration data (the demo/ package): create what is missing, or reset it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import demo


class _Undo(Exception):
    """Raised to roll back a reset that was only shown, or refused."""


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (centres, équipes, RCP, essais fictifs) : crée "
        "ce qui manque et ne modifie jamais une ligne existante. Avec --reset, remet les "
        "données de démonstration, et seulement elles, telles que le prévoient les tables, "
        "après avoir dit ce qui change. Les faits du réseau viennent de « migrate »."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remettre les lignes de démonstration modifiées ou supprimées.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Avec --reset : dire ce qui changerait, sans rien changer.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Avec --reset : ne pas demander de confirmation.",
        )

    def handle(self, *args, reset, dry_run, interactive, **options):
        if dry_run and not reset:
            raise CommandError("--dry-run va avec --reset.")
        try:
            with transaction.atomic():
                writer = demo.load(stdout=self.stdout, reset=reset)
                if reset:
                    self._say(writer)
                    if dry_run or (writer.changes and interactive and not self._confirmed()):
                        raise _Undo
        except _Undo:
            self.stdout.write("Rien n’a été changé.")
            return
        if reset:
            self.stdout.write(self.style.SUCCESS("Données de démonstration remises."))

    def _say(self, writer) -> None:
        if not writer.changes:
            self.stdout.write("--reset : les données de démonstration sont déjà conformes.")
            return
        self.stdout.write(f"--reset change {len(writer.changes)} élément(s) :")
        for line in writer.changes:
            self.stdout.write(f"  - {line}")

    def _confirmed(self) -> bool:
        answer = input("Appliquer ces changements ? [o/N] ")
        return answer.strip().lower() in ("o", "oui", "y", "yes")
