"""Draw static/img/carte-france.svg, the land under the server-drawn map."""

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core import geo
from core import maps as svgmap

CELL = 3  # pixels of the drawing per grid cell


class Command(BaseCommand):
    help = "Dessine le fond de carte (métropole et outre-mer) à partir des communes."

    def handle(self, *args, **options):
        rows: dict[int, set[int]] = defaultdict(set)
        overseas: set[tuple[float, float]] = set()
        for place in geo.all_places():
            point = svgmap.project(place.latitude, place.longitude)
            if point is None:
                continue
            if point[1] < svgmap.MAIN_HEIGHT:
                rows[int(point[1] // CELL)].add(int(point[0] // CELL))
            else:
                # Overseas communes are few and far apart at inset scale: a disc
                # around each draws the islands' shapes better than grid cells.
                overseas.add(point)
        path = []
        for row in sorted(rows):
            cells = sorted(rows[row])
            start = prev = cells[0]
            for cell in cells[1:] + [None]:
                if cell is not None and cell == prev + 1:
                    prev = cell
                    continue
                x, y, width = start * CELL, row * CELL, (prev - start + 1) * CELL
                path.append(f"M{x} {y}h{width}v{CELL}H{x}z")
                if cell is not None:
                    start = prev = cell
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svgmap.WIDTH} {svgmap.HEIGHT}" '
            'fill="#dfe6ee">'
            f'<path fill="#dfe6ee" d="{"".join(path)}"/>'
            + "".join(f'<circle cx="{x}" cy="{y}" r="5"/>' for x, y in sorted(overseas))
            + "</svg>\n"
        )
        out = Path(settings.BASE_DIR) / "static" / "img" / "carte-france.svg"
        out.write_text(svg, encoding="ascii")
        self.stdout.write(f"{out} : {len(path)} bandes, {len(svg) // 1024} Ko")
