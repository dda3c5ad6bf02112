"""The map page (/centres/carte/): what its server map, legend, list and JSON hold, and
that it stays light and constant in queries as the network grows."""

import json
import re

from django.urls import reverse

from tests.factories import make_centre

MARKER_PATH = re.compile(
    r'<path class="map-markers"[^>]* d="([^"]*)" marker-start="url\(#([\w-]+)\)"'
)


def _markers(html: str) -> dict[str, int]:
    """{marker id: number of centres drawn with it} on the server map."""
    return {marker: d.count("M") for d, marker in MARKER_PATH.findall(html)}


def _marker_colours(html: str, marker: str) -> list[str]:
    shape = re.search(rf'<marker id="{marker}"[^>]*>(.*?)</marker>', html).group(1)
    return re.findall(r'fill="(#\w{6})"', shape)


def _listed(html: str) -> list[str]:
    """Slugs of the centres in the page's list, in order."""
    section = html[html.index("<div data-map-list>") :]
    return re.findall(r'<li><a href="/centres/([\w-]+)/">', section)


def _map_data(html: str) -> dict:
    return json.loads(re.search(r'id="map-data" type="application/json">(.*?)</script>', html)[1])


def test_server_map_draws_each_centre_once_with_all_its_axes_colours(client, axes):
    pancreas, oesophagus, liver = axes["pancreas"], axes["oesophage"], axes["foie-voies-biliaires"]
    make_centre(name="CHU de Brest", slug="brest", axes=[pancreas, oesophagus, liver])
    make_centre(
        name="CHU de Rennes",
        slug="rennes",
        city="Rennes",
        postcode="35000",
        department_code="35",
        latitude=48.11,
        longitude=-1.68,
        axes=[liver],
    )
    html = client.get(reverse("centres:map")).content.decode()
    markers = _markers(html)
    assert sorted(markers.values()) == [1, 1]
    colours = sorted(_marker_colours(html, m) for m in markers)
    assert colours == [
        [liver.colour],
        [pancreas.colour, oesophagus.colour, liver.colour],  # a pie: one slice per axis
    ]


def test_map_page_has_overseas_insets_a_legend_and_the_credit(client, axes):
    make_centre(slug="brest", axes=[axes["pancreas"]])
    make_centre(
        name="CHU de La Réunion",
        slug="reunion",
        city="Saint-Denis",
        postcode="97400",
        department_code="974",
        latitude=-20.89,
        longitude=55.45,
        phone="0262905050",
        axes=[axes["foie-voies-biliaires"]],
    )
    html = client.get(reverse("centres:map")).content.decode()
    assert 'xlink:href="/static/img/carte-france.svg"' in html  # departments and 5 insets
    assert "2\u00a0centres sur la carte\u00a0: 1\u00a0en métropole, 1\u00a0à La Réunion." in html
    areas = json.loads(re.search(r'data-map-areas="([^"]*)"', html)[1].replace("&quot;", '"'))
    assert [(a["name"], a["count"]) for a in areas] == [("Métropole", 1), ("La Réunion", 1)]
    legend = html[html.index('class="map-legend"') :]
    for axis in axes.values():
        assert axis.name in legend and f'fill="{axis.colour}"' in legend
    assert "plusieurs de ces cancers\u00a0: une part par cancer" in legend
    assert "CC BY 4.0" in html and "Natural Earth" in html and "MapSVG" in html


def test_each_centre_is_listed_once_and_the_json_follows_the_list(client, axes):
    make_centre(name="CHU de Brest", slug="brest", axes=[axes["pancreas"], axes["oesophage"]])
    make_centre(name="Centre fictif", slug="demo", is_demo=True, axes=[axes["pancreas"]])
    make_centre(name="CHU de Quimper", slug="quimper", city="Quimper", latitude=47.99)
    html = client.get(reverse("centres:map")).content.decode()
    assert _listed(html) == ["brest", "quimper", "demo"]  # real ones first, demonstration apart
    assert html.count('href="/centres/brest/"') == 1
    assert '<li><a href="/centres/brest/">CHU de Brest</a> (Pancréas, Œsophage)</li>' in html
    assert "Centre fictif</a>, Brest (Pancréas)" in html  # the city, when the name lacks it
    assert html.count("badge-demo") == 1  # the demonstration block, marked once
    data = _map_data(html)
    assert [a["name"] for a in data["axes"]] == ["Pancréas", "Œsophage", "Foie"]
    # [lat, lon, axis bits] per listed centre, in list order: pancreas = 1, oesophagus = 2
    assert data["flat"] == [48.39, -4.49, 3, 47.99, -4.49, 0, 48.39, -4.49, 1]
    assert "Brest" not in json.dumps(data)  # names and addresses come from the list


def test_map_page_markup_per_centre_stays_small(client, axes):
    """At 1,000 centres the page must stay under 150 KB (bench: 145 KB): each centre is
    one list item, one point of a marker path and three numbers of JSON, about 150 bytes
    with these names (it was 740 when each was listed twice with an SVG dot per axis)."""
    three = [axes["pancreas"], axes["oesophage"], axes["foie-voies-biliaires"]]
    make_centre(slug="first", axes=three)
    one = len(client.get(reverse("centres:map")).content)
    for i in range(40):
        make_centre(
            name=f"Centre hospitalier de test {i:03d} — Site principal",
            slug=f"c{i:03d}",
            latitude=47 + i / 20,
            longitude=-1 + i / 10,
            axes=three[: 1 + i % 3],
        )
    many = len(client.get(reverse("centres:map")).content)
    assert (many - one) / 40 < 170


def test_map_page_query_count_does_not_grow_with_centres(client, axes, django_assert_num_queries):
    for i in range(3):
        make_centre(slug=f"a{i}", axes=[axes["pancreas"]])
    with django_assert_num_queries(3):  # axes, centre-axis links, centres
        client.get(reverse("centres:map"))
    for i in range(30):
        make_centre(slug=f"b{i}", axes=[axes["pancreas"], axes["oesophage"]], is_demo=i % 2)
    with django_assert_num_queries(3):
        response = client.get(reverse("centres:map"))
    assert len(_listed(response.content.decode())) == 33


def test_centre_page_highlights_its_centre_inside_finistere(client, axes):
    centre = make_centre(
        name="CHU de Brest — Hôpital Morvan",
        slug="brest",
        latitude=48.38885,
        longitude=-4.4958,
        axes=[axes["oesophage"], axes["pancreas"]],
    )
    html = client.get(centre.get_absolute_url()).content.decode()
    ring = re.search(r'<circle class="map-highlight" cx="([\d.]+)" cy="([\d.]+)"', html)
    from core import maps

    mainland = maps.drawing()[2][0]
    assert mainland.department_at(float(ring[1]), float(ring[2])) == "29"
    data = _map_data(html)
    assert data["points"] == [
        [48.38885, -4.4958, 3, "CHU de Brest — Hôpital Morvan", "/centres/brest/"]
    ]
