"""Build the benchmark's large data set (see `make bench` and README "Benchmark")."""

import importlib
import time

from django.core.management.base import BaseCommand
from django.db import connection

from centres import bench as centres_bench

# Apps that bring their own bench data, with the options passed to their build().
APP_BENCHES = (
    ("rcp.bench", ("rcps",)),
    ("trials.bench", ("trials", "sites")),
)


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
        centres_bench.build(
            stdout=self.stdout, centres=options["centres"], people=options["people"]
        )
        for module_name, option_names in APP_BENCHES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                self.stdout.write(f"{module_name}\u00a0: absent, ignoré.")
                continue
            module.build(stdout=self.stdout, **{name: options[name] for name in option_names})
        self.stdout.write(
            self.style.SUCCESS(
                f"Données du banc prêtes en {time.monotonic() - started:.1f}\u00a0s."
            )
        )
