"""Load the network's facts and the demonstration data (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from centres import demo as centres_demo
from rcp import demo as rcp_demo
from trials import demo as trials_demo


class Command(BaseCommand):
    help = (
        "Charge les faits du réseau (axes, centre pilote, centres référents, coordinateurs) "
        "et les données de démonstration. Peut être relancée sans créer de doublons."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for loader in (centres_demo.load, rcp_demo.load, trials_demo.load):
            loader(stdout=self.stdout)
