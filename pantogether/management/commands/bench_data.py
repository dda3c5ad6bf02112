"""Build the benchmark's large data set (see `make bench` and README "Benchmark")."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from bench.generate import centres, rcps, trials


class Command(BaseCommand):
    help = (
        "Construit le jeu de données du banc d’essai (1\u00a0000 centres, 10\u00a0000 personnes, "
        "500 RCP, 5\u00a0000 essais et 20\u00a0000 sites par défaut), fictif et marqué comme "
        "démonstration, dans la base de DATABASE_URL. Réservé à une base dédiée au banc."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centres", type=int, default=1000)
        parser.add_argument("--people", type=int, default=10000)
        parser.add_argument("--rcps", type=int, default=500)
        parser.add_argument("--trials", type=int, default=5000)
        parser.add_argument("--sites", type=int, default=20000)

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write(f"Base\u00a0: {connection.vendor} {connection.settings_dict['NAME']}")
        centres.build(stdout=self.stdout, centres=options["centres"], people=options["people"])
        rcps.build(stdout=self.stdout, rcps=options["rcps"])
        trials.build(stdout=self.stdout, trials=options["trials"], sites=options["sites"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Données du banc prêtes en {time.monotonic() - started:.1f}\u00a0s."
            )
        )
