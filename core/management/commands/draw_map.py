"""Draw static/img/carte-france.svg and core/data/carte-france.json from the map sources."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import mapsource


class Command(BaseCommand):
    help = (
        "Redessine le fond de carte (départements de métropole, encarts d’outre-mer) et les "
        "données de dessin des repères, à partir des sources de core/data (sans réseau)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--world-atlas",
            metavar="COUNTRIES_JSON",
            help=(
                "relit d’abord les contours d’outre-mer dans ce fichier countries-10m.json "
                "(paquet npm world-atlas, Natural Earth) et réécrit core/data/outre-mer.json"
            ),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="n’écrit rien ; échoue si les fichiers dessinés ne sont plus à jour",
        )

    def handle(self, *args, world_atlas=None, check=False, **options):
        if world_atlas:
            try:
                topology = json.loads(Path(world_atlas).read_text(encoding="utf-8"))
                overseas = mapsource.extract_overseas(topology)
            except (OSError, ValueError, KeyError, StopIteration) as error:
                raise CommandError(f"{world_atlas} : contours illisibles ({error!r})") from error
            mapsource.OVERSEAS_JSON.write_text(
                json.dumps(overseas, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            self.stdout.write(f"{mapsource.OVERSEAS_JSON} réécrit.")
        svg, data = mapsource.build()
        svg_path = Path(settings.BASE_DIR) / "static" / "img" / "carte-france.svg"
        if check:
            stale = [
                str(path)
                for path, text in (
                    (svg_path, svg),
                    (mapsource.MAP_JSON, mapsource.json_text(data)),
                )
                if not path.exists() or path.read_text(encoding="utf-8") != text
            ]
            if stale:
                raise CommandError("À redessiner (manage.py draw_map) : " + ", ".join(stale))
            self.stdout.write("Fond de carte à jour.")
            return
        mapsource.write(svg, data, svg_path, mapsource.MAP_JSON)
        self.stdout.write(
            f"{svg_path} : {len(svg) // 1024} Ko ; {mapsource.MAP_JSON} : "
            f"{len(mapsource.json_text(data)) // 1024} Ko."
        )
