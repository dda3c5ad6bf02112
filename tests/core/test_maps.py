"""The server-drawn map: its fitted projection, markers on land in their own department,
the overseas insets, multi-colour markers, and draw_map's output kept in step."""

import json
import random
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from core import geo, maps, mapsource
from core.maps import Point
from demo.centres import demo_centres

ROOT = Path(__file__).resolve().parents[2]
PANCREAS, OESOPHAGUS, LIVER = "#6b3fa0", "#b34700", "#2b7a3b"
# Communes on islands the departments' drawing leaves out: their markers go to the coast.
ISLANDS_NOT_DRAWN = {
    "L'Île-d'Yeu",
    "Hœdic",
    "Île-de-Sein",
    "Île-d'Houat",
    "Île-Molène",
    "Groix",
    "Île-d'Aix",
}


def _communes(every: int = 1):
    """One place per (commune, department), every n-th, in file order."""
    seen, places = set(), []
    for place in geo.all_places():
        if (place.commune, place.department) not in seen:
            seen.add((place.commune, place.department))
            places.append(place)
    return places[::every]


def _distance_to_department(place) -> float:
    """Drawing units from a commune's projected point to its own department's outline."""
    area = maps.area_of(place.latitude, place.longitude)
    x, y = area.project(place.latitude, place.longitude)
    rings = area.departments[place.department]
    return min(maps._nearest_on_ring(ring, x, y)[0] for ring in rings) ** 0.5


def test_projection_puts_communes_inside_their_own_department():
    mainland = [p for p in _communes(every=10) if not p.department.startswith("97")]
    assert len(mainland) > 3000
    misplaced = [p for p in mainland if maps.department_at(p.latitude, p.longitude) != p.department]
    # Measured over all 35,790 mainland communes: 98.9 % inside; of the 387 others, half
    # within 0.16 units (300 m) of their department, 90 % within 0.47 units.
    assert len(misplaced) / len(mainland) < 0.015
    # The others sit on their department's (simplified) border: within 1.5 units, 3 km.
    far = {p.commune for p in misplaced if _distance_to_department(p) > 1.5}
    assert far <= ISLANDS_NOT_DRAWN, far


def test_projection_error_at_department_centroids_is_a_few_units():
    departments = mapsource.read_departments()
    communes = mapsource.commune_points()
    transform = mapsource.fit_mainland_projection(departments, communes)
    errors = []
    for code, (_name, rings) in departments.items():
        points = [mapsource.mercator(lat, lon) for lat, lon in communes[code]]
        mx = sum(p[0] for p in points) / len(points)
        my = sum(p[1] for p in points) / len(points)
        a, b, c, d, e, f = transform
        total = cx = cy = 0.0
        for ring in rings:
            area, x, y = mapsource.signed_area_centroid(ring)
            total, cx, cy = total + area, cx + area * x, cy + area * y
        errors.append(
            ((a * mx + b * my + c - cx / total) ** 2 + (d * mx + e * my + f - cy / total) ** 2)
            ** 0.5
        )
    rms = (sum(e * e for e in errors) / len(errors)) ** 0.5
    assert len(errors) == 96
    assert rms < 3.5 and max(errors) < 11  # a commune centroid is not an area centroid


def test_overseas_communes_fall_inside_their_inset_outline():
    overseas = [p for p in _communes() if p.department in ("971", "972", "973", "974", "976")]
    assert len(overseas) > 100
    outside = [p for p in overseas if maps.department_at(p.latitude, p.longitude) != p.department]
    # Natural Earth 1:10m is coarse on small islands (Les Saintes, Terre-de-Haut).
    assert len(outside) / len(overseas) < 0.05, [p.commune for p in outside]
    for place in overseas:
        name, x, y = maps.place(place.latitude, place.longitude)
        area = next(a for a in maps.drawing()[2] if a.name == name)
        fx, fy, fw, fh = area.frame
        assert fx <= x <= fx + fw and fy <= y <= fy + fh  # in its own inset
        assert area.department_at(x, y) == place.department  # on its land


def _demo_points():
    """Each demonstration centre where `demo_data` puts it (commune point, same jitter)."""
    for spec in demo_centres():
        place = next(
            p
            for p in geo.postcode_places(spec.postcode)
            if p.commune.lower().startswith(spec.city.lower())
        )
        rng = random.Random(f"pan-together-demo:{spec.slug}")
        lat = round(place.latitude + rng.uniform(-0.01, 0.01), 5)
        lon = round(place.longitude + rng.uniform(-0.01, 0.01), 5)
        yield spec.slug, place.department, lat, lon


def test_every_demo_and_network_centre_is_drawn_inside_its_department():
    network = json.loads((ROOT / "centres" / "data" / "network.json").read_text())["centres"]
    centres = list(_demo_points()) + [
        (c["slug"], c["department"], c["latitude"], c["longitude"]) for c in network
    ]
    assert len(centres) > 50
    for slug, department, lat, lon in centres:
        name, x, y = maps.place(lat, lon, department)
        area = next(a for a in maps.drawing()[2] if a.name == name)
        assert area.department_at(x, y) == department, slug


@pytest.mark.parametrize(
    "name, lat, lon",
    [
        ("CHU de Brest — Hôpital Morvan", 48.38885, -4.4958),
        ("Brest, town hall", 48.3904, -4.4861),
        ("Morlaix", 48.5777, -3.8279),
        ("Roscoff, on the quay", 48.7262, -3.9853),
    ],
)
def test_finistere_markers_are_on_land(name, lat, lon):
    _area, x, y = maps.place(lat, lon)
    assert maps.drawing()[2][0].department_at(x, y) == "29", name


def test_a_point_at_sea_is_put_back_on_the_nearest_coast():
    at_sea = (48.30, -4.75)  # the Iroise sea, west of Brest
    assert maps.department_at(*at_sea) is None
    _area, x, y = maps.place(*at_sea)
    mainland = maps.drawing()[2][0]
    assert mainland.department_at(x, y) == "29"
    px, py = mainland.project(*at_sea)
    assert ((x - px) ** 2 + (y - py) ** 2) ** 0.5 < 10


def test_a_point_outside_france_is_not_drawn():
    drawn = maps.draw([Point(40.4, -3.7, (PANCREAS,))])  # Madrid
    assert drawn["count"] == 0 and drawn["groups"] == []


def test_the_drawing_has_mainland_departments_and_five_overseas_insets():
    width, height, areas = maps.drawing()
    assert [a.name for a in areas] == [
        "métropole",
        "Guadeloupe",
        "Martinique",
        "Guyane",
        "La Réunion",
        "Mayotte",
    ]
    assert len(areas[0].departments) == 96 and {"2A", "2B", "29", "75"} <= set(areas[0].departments)
    assert [list(a.departments) for a in areas[1:]] == [["971"], ["972"], ["973"], ["974"], ["976"]]
    svg = (ROOT / "static" / "img" / "carte-france.svg").read_text()
    assert svg.count("<rect ") == 5
    for name in ("Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"):
        assert f">{name}</text>" in svg
    for area in areas[1:]:  # every inset inside the drawing, below mainland France
        x, y, w, h = area.frame
        assert 0 <= x and x + w <= width and mapsource.MAINLAND_HEIGHT < y and y + h < height


def test_a_centre_on_several_axes_gets_one_slice_per_axis_colour():
    drawn = maps.draw(
        [
            Point(48.39, -4.49, (PANCREAS, OESOPHAGUS)),
            Point(48.11, -1.68, (PANCREAS, OESOPHAGUS)),
            Point(43.60, 1.44, (PANCREAS, OESOPHAGUS, LIVER)),
            Point(45.76, 4.84, (LIVER,)),
        ]
    )
    groups = {g.colours: g for g in drawn["groups"]}
    assert set(groups) == {(PANCREAS, OESOPHAGUS), (PANCREAS, OESOPHAGUS, LIVER), (LIVER,)}
    two = groups[(PANCREAS, OESOPHAGUS)]
    assert two.points.count("M") == 2  # both centres on one path
    assert re.findall(r'<path fill="(#\w+)"', two.shape) == [PANCREAS, OESOPHAGUS]
    three = groups[(PANCREAS, OESOPHAGUS, LIVER)]
    assert re.findall(r'<path fill="(#\w+)"', three.shape) == [PANCREAS, OESOPHAGUS, LIVER]
    assert '<circle r="6" fill="#2b7a3b"/>' in groups[(LIVER,)].shape  # one axis: a disc
    assert drawn["count"] == 4


def test_a_colour_that_is_not_rrggbb_never_reaches_the_svg():
    shape = maps.pie(('"/><script>alert(1)</script>', PANCREAS))
    assert "<script>" not in shape and maps.DEFAULT_COLOUR in shape


def test_summary_says_where_the_centres_are_in_french():
    drawn = maps.draw(
        [
            Point(48.39, -4.49, (PANCREAS,)),
            Point(-20.89, 55.45, (PANCREAS,)),
            Point(16.24, -61.53, (LIVER,)),
        ]
    )
    assert drawn["summary"] == (
        "3\u00a0centres sur la carte\u00a0: 1\u00a0en métropole, 1\u00a0en Guadeloupe, "
        "1\u00a0à La Réunion."
    )
    assert [a["name"] for a in drawn["areas"]] == ["Métropole", "Guadeloupe", "La Réunion"]


def test_draw_map_output_matches_the_committed_files():
    """Redrawing from the committed sources gives the committed files, byte for byte."""
    call_command("draw_map", "--check")
    svg, data = mapsource.build()
    assert svg == (ROOT / "static" / "img" / "carte-france.svg").read_text()
    assert mapsource.json_text(data) == mapsource.MAP_JSON.read_text()


def test_svg_path_parser_reads_relative_moves_lines_and_holes():
    rings = mapsource.parse_path("m 10,10 5,0 0,5 z m 1,1 1,0 0,1 z M 0 0 L 2 0 2 2 z")
    assert rings == [
        [(10, 10), (15, 10), (15, 15)],
        [(11, 11), (12, 11), (12, 12)],
        [(0, 0), (2, 0), (2, 2)],
    ]


def test_overseas_outlines_are_extracted_from_a_world_atlas_topology():
    # A tiny TopoJSON: France (250) with a square on Mayotte and one on mainland France.
    topology = {
        "transform": {"scale": [0.01, 0.01], "translate": [0, 0]},
        "arcs": [
            [[4500, -1280], [10, 0], [0, 10], [-10, 0], [0, -10]],
            [[200, 4600], [10, 0], [0, 10], [-10, 0], [0, -10]],
        ],
        "objects": {
            "countries": {
                "geometries": [
                    {"type": "MultiPolygon", "id": "250", "arcs": [[[0]], [[1]]]},
                    {"type": "Polygon", "properties": {"name": "Somewhere"}, "arcs": [[0]]},
                ]
            }
        },
    }
    extracted = mapsource.extract_overseas(topology)
    assert extracted["departments"]["976"]["rings"] == [
        [[45.0, -12.8], [45.1, -12.8], [45.1, -12.7], [45.0, -12.7], [45.0, -12.8]]
    ]
    assert extracted["departments"]["971"]["rings"] == []
    assert "Natural Earth" in extracted["source"]
