"""A map of France drawn on the server: works without JavaScript and without tiles.

Mainland France by department takes the top of the drawing; the five overseas
departments sit in insets below, each at its own scale. The land is a static
SVG (static/img/carte-france.svg); markers are drawn per request on the same
coordinates, which core/data/carte-france.json gives: each area's projection
(Mercator through a fitted affine map) and its departments' outlines. Both
files are written by `manage.py draw_map` (core/mapsource.py).

A marker is a small pie, one slice per axis (cancer) the centre works on, in
the axes' colours. All the markers of one kind are drawn by one path whose
points each carry an SVG <marker>, so a thousand centres cost a few bytes each.
"""

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

MAP_JSON = Path(__file__).resolve().parent / "data" / "carte-france.json"
RADIUS = 6.0  # drawing units (the drawing is 613 wide)
DEFAULT_COLOUR = "#5f6670"  # a centre with no axis yet
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SNAP_INSIDE = 1.5  # how far inside the coast a marker found at sea is put back


@dataclass(frozen=True)
class Area:
    """Mainland France or one overseas department, as drawn."""

    name: str
    label: str
    transform: tuple[float, ...]
    frame: tuple[float, ...] | None
    bounds: tuple[float, ...]  # south, west, north, east in degrees
    departments: dict  # code -> list of rings, each a flat [x0, y0, x1, y1, ...]
    boxes: dict  # code -> (min x, min y, max x, max y)

    def contains(self, lat: float, lon: float) -> bool:
        south, west, north, east = self.bounds
        margin = 0.3 if self.frame is None else 0.05  # degrees: coastal centres, small islands
        return south - margin <= lat <= north + margin and west - margin <= lon <= east + margin

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.transform
        mx = math.radians(lon)
        my = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        return a * mx + b * my + c, d * mx + e * my + f

    def department_at(self, x: float, y: float) -> str | None:
        """The code of the department drawn under the point, or None at sea."""
        for code, (x0, y0, x1, y1) in self.boxes.items():
            if x0 <= x <= x1 and y0 <= y <= y1 and _inside(self.departments[code], x, y):
                return code
        return None

    def nearest_land(self, x: float, y: float, department: str | None = None):
        """The point nearest to (x, y) on land (or in that department), SNAP_INSIDE units
        inside its border."""
        codes = [department] if department in self.departments else list(self.departments)
        best = (math.inf, x, y)
        for code in codes:
            for ring in self.departments[code]:
                best = min(best, _nearest_on_ring(ring, x, y))
        _d, bx, by = best
        for step in (SNAP_INSIDE, SNAP_INSIDE / 2, 0.2):
            length = math.hypot(bx - x, by - y) or 1.0
            px, py = bx + (bx - x) / length * step, by + (by - y) / length * step
            if self.department_at(px, py) in codes:
                return px, py
        return bx, by


def _inside(rings: list, x: float, y: float) -> bool:
    """Even-odd rule over all the rings (holes included: the Enclave des Papes)."""
    inside = False
    for ring in rings:
        x0, y0 = ring[-2], ring[-1]
        for i in range(0, len(ring), 2):
            x1, y1 = ring[i], ring[i + 1]
            if (y1 > y) != (y0 > y) and x < (x0 - x1) * (y - y1) / (y0 - y1) + x1:
                inside = not inside
            x0, y0 = x1, y1
    return inside


def _nearest_on_ring(ring: list, x: float, y: float) -> tuple[float, float, float]:
    best = (math.inf, x, y)
    x0, y0 = ring[-2], ring[-1]
    for i in range(0, len(ring), 2):
        x1, y1 = ring[i], ring[i + 1]
        dx, dy = x1 - x0, y1 - y0
        t = ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy) if dx or dy else 0.0
        t = min(1.0, max(0.0, t))
        px, py = x0 + t * dx, y0 + t * dy
        best = min(best, ((px - x) ** 2 + (py - y) ** 2, px, py))
        x0, y0 = x1, y1
    return best


def _box(rings: list) -> tuple[float, float, float, float]:
    xs = [v for ring in rings for v in ring[::2]]
    ys = [v for ring in rings for v in ring[1::2]]
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=1)
def drawing() -> tuple[float, float, tuple[Area, ...]]:
    """(width, height, areas) of the drawing, read once per process."""
    data = json.loads(MAP_JSON.read_text(encoding="utf-8"))
    areas = tuple(
        Area(
            name=a["name"],
            label=a["label"],
            transform=tuple(a["transform"]),
            frame=tuple(a["frame"]) if a["frame"] else None,
            bounds=tuple(a["bounds"]),
            departments=a["departments"],
            boxes={code: _box(rings) for code, rings in a["departments"].items()},
        )
        for a in data["areas"]
    )
    return data["width"], data["height"], areas


def area_of(lat: float, lon: float) -> Area | None:
    """The area (mainland or an overseas department) a point belongs to, or None."""
    for area in drawing()[2]:
        if area.contains(lat, lon):
            return area
    return None


@lru_cache(maxsize=8192)
def place(lat: float, lon: float, department: str | None = None) -> tuple[str, float, float] | None:
    """(area name, x, y) where a centre's marker goes: its projected point, put back
    inside its department (when given) or on land when it falls outside (a hospital on
    the quay, on a small island the drawing omits, or a demonstration centre moved a
    little from its commune); None outside every area."""
    area = area_of(lat, lon)
    if area is None:
        return None
    x, y = area.project(lat, lon)
    found = area.department_at(x, y)
    if not found or (department in area.departments and found != department):
        x, y = area.nearest_land(x, y, department)
    return area.name, round(x, 1), round(y, 1)


def project(lat: float, lon: float) -> tuple[float, float] | None:
    """Drawing coordinates of a point (no snapping), or None outside every area."""
    area = area_of(lat, lon)
    return None if area is None else area.project(lat, lon)


def department_at(lat: float, lon: float) -> str | None:
    """The department drawn under a point, or None (at sea, or outside the map)."""
    area = area_of(lat, lon)
    return None if area is None else area.department_at(*area.project(lat, lon))


# --- Markers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """A centre to draw: where, and its axes' colours in the axes' order."""

    latitude: float
    longitude: float
    colours: tuple[str, ...]
    department: str | None = None  # INSEE code: the marker stays inside it


@dataclass(frozen=True)
class MarkerGroup:
    """The markers sharing one set of colours: one <marker> shape, one path of points."""

    key: str
    colours: tuple[str, ...]
    shape: SafeString  # SVG elements of the pie, around (0, 0)
    points: str  # path data: one "M x y" per centre


def safe_colour(value: str) -> str:
    return value if _COLOUR.match(value or "") else DEFAULT_COLOUR


def pie(colours: tuple[str, ...], radius: float = RADIUS) -> str:
    """SVG elements of a pie around (0, 0): one slice per colour, from the top, clockwise,
    with a dark rim so it reads on the land and on the sea."""
    rim = f'<circle r="{_n(radius)}" fill="none" stroke="#1b1b1b" stroke-width="1"/>'
    if len(colours) == 1:
        return f'<circle r="{_n(radius)}" fill="{safe_colour(colours[0])}"/>' + rim
    slices = []
    step = 2 * math.pi / len(colours)
    for i, colour in enumerate(colours):
        start, end = i * step, (i + 1) * step
        x0, y0 = radius * math.sin(start), -radius * math.cos(start)
        x1, y1 = radius * math.sin(end), -radius * math.cos(end)
        large = 1 if end - start > math.pi else 0
        slices.append(
            f'<path fill="{safe_colour(colour)}" stroke="#fff" stroke-width=".6" '
            f'd="M0 0L{_n(x0)} {_n(y0)}A{_n(radius)} {_n(radius)} 0 {large} 1 {_n(x1)} {_n(y1)}z"/>'
        )
    return "".join(slices) + rim


def _n(value: float) -> str:
    text = f"{round(value, 2):g}"
    return "0" if text == "-0" else text


def france_map(centres, highlight=None) -> dict:
    """What the map template draws, from centres whose axes are prefetched (and their
    department selected, to keep each marker inside it)."""
    points = [
        Point(
            c.latitude,
            c.longitude,
            tuple(a.colour for a in c.axes.all()) or (DEFAULT_COLOUR,),
            _department_code(c),
        )
        for c in centres
    ]
    mark = None
    if highlight is not None:
        mark = place(highlight.latitude, highlight.longitude, _department_code(highlight))
    return draw(points, highlight=mark)


def _department_code(centre) -> str | None:
    """The centre's department code if it was fetched with it (never a query per centre)."""
    descriptor = type(centre).__dict__.get("department")
    if descriptor is not None and descriptor.is_cached(centre):
        return centre.department.code
    return None


def draw(points: list[Point], highlight: tuple[str, float, float] | None = None) -> dict:
    """Marker groups, counts per area and a text summary, for includes/france_map.html."""
    width, height, areas = drawing()
    groups: dict[tuple[str, ...], list[str]] = {}
    counts = dict.fromkeys((a.name for a in areas), 0)
    for point in points:
        placed = place(point.latitude, point.longitude, point.department)
        if placed is None:
            continue
        name, x, y = placed
        counts[name] += 1
        # Whole drawing units: under a screen pixel, and a few bytes a centre.
        groups.setdefault(point.colours, []).append(f"M{round(x)} {round(y)}")
    marker_groups = [
        # pie() writes only numbers and colours matching #RRGGBB: safe to print as is.
        MarkerGroup(f"m{i}", colours, mark_safe(pie(colours)), "".join(path))
        for i, (colours, path) in enumerate(sorted(groups.items(), key=lambda g: -len(g[1])))
    ]
    drawn = sum(counts.values())
    # Mainland always, an overseas department when it has a centre on this map.
    shown = [
        {"name": a.label, "count": counts[a.name], "bounds": a.bounds}
        for a in areas
        if a.frame is None or counts[a.name]
    ]
    return {
        "width": width,
        "height": height,
        "groups": marker_groups,
        "highlight": highlight and {"x": highlight[1], "y": highlight[2], "r": RADIUS + 4},
        "count": drawn,
        "areas": shown,
        "areas_json": json.dumps(shown, ensure_ascii=False),
        "summary": summary(drawn, [(a.label, counts[a.name]) for a in areas]),
    }


def summary(total: int, counts: list[tuple[str, int]]) -> str:
    """« 61 centres : 56 en métropole, 2 en Guadeloupe, 1 à La Réunion. »"""
    if not total:
        return "Aucun centre sur la carte."
    parts = []
    for label, count in counts:
        if count:
            where = "en métropole" if label == "Métropole" else _in(label)
            parts.append(f"{count}\u00a0{where}")
    noun = "centre" if total == 1 else "centres"
    return f"{total}\u00a0{noun} sur la carte\u00a0: {', '.join(parts)}."


def _in(label: str) -> str:
    """« en Guyane », « à La Réunion », « à Mayotte »: islands take « à », except those
    named like a region (« en Guadeloupe », « en Martinique »)."""
    if label.startswith("La ") or label == "Mayotte":
        return "à " + label
    return "en " + label
