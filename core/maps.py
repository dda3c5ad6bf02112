"""A map of France drawn on the server: works without JavaScript and without tiles.

Mainland France and Corsica take the top of the drawing; the five overseas
departments sit in insets below, each at its own scale. The land itself is a
static SVG (static/img/carte-france.svg) drawn from the commune coordinates by
`manage.py draw_map`; markers are drawn per request on the same grid.
"""

import math
from dataclasses import dataclass

from .geo import FRANCE_BOUNDS

WIDTH = 520
MAIN_HEIGHT = 480
INSET = 96
INSET_GAP = 10
INSET_TOP = MAIN_HEIGHT + 14
HEIGHT = INSET_TOP + INSET + 18
OVERSEAS = ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]


@dataclass(frozen=True)
class Frame:
    """A rectangle of the drawing that shows one area's bounding box."""

    name: str
    x: float
    y: float
    width: float
    height: float
    south: float
    north: float
    west: float
    east: float

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        x = self.x + (lon - self.west) / (self.east - self.west) * self.width
        y = self.y + (self.north - lat) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)


def _fit(name, x, y, max_w, max_h) -> Frame:
    south, north, west, east = FRANCE_BOUNDS[name]
    # Equirectangular with the longitude scaled at the box's middle latitude.
    aspect = (east - west) * math.cos(math.radians((south + north) / 2)) / (north - south)
    width, height = (max_w, max_w / aspect) if aspect > max_w / max_h else (max_h * aspect, max_h)
    return Frame(
        name,
        x + (max_w - width) / 2,
        y + (max_h - height) / 2,
        width,
        height,
        south,
        north,
        west,
        east,
    )


FRAMES = [_fit("métropole", 0, 0, WIDTH, MAIN_HEIGHT)] + [
    _fit(name, i * (INSET + INSET_GAP) + 2, INSET_TOP, INSET, INSET)
    for i, name in enumerate(OVERSEAS)
]
INSET_LABELS = [
    (name, round(i * (INSET + INSET_GAP) + 2 + INSET / 2, 1), INSET_TOP + INSET + 14)
    for i, name in enumerate(OVERSEAS)
]


def project(lat: float, lon: float) -> tuple[float, float] | None:
    """Drawing coordinates of a point, or None outside every frame."""
    for frame in FRAMES:
        if frame.south <= lat <= frame.north and frame.west <= lon <= frame.east:
            return frame.project(lat, lon)
    return None


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    colour: str
    highlight: bool


def france_map(centres, highlight=None) -> dict:
    """What the map template draws: frames, labels and one dot per centre and axis.

    `centres` must have their axes prefetched. A centre working on several
    axes gets one dot per axis, side by side.
    """
    markers = []
    for centre in centres:
        point = project(centre.latitude, centre.longitude)
        if point is None:
            continue
        colours = [a.colour for a in centre.axes.all()] or ["#4a4a4a"]
        for i, colour in enumerate(colours):
            offset = (i - (len(colours) - 1) / 2) * 5
            markers.append(
                Marker(round(point[0] + offset, 1), point[1], colour, centre == highlight)
            )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "frames": FRAMES[1:],
        "labels": INSET_LABELS,
        "markers": markers,
        "count": len(centres),
    }
