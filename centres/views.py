"""Public pages of the centres app: directory with nearest search, centre page, map."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from core.geo import france_area
from core.headers import permissions_policy
from core.maps import DEFAULT_COLOUR, Point, draw, france_map

from .forms import CentreFilterForm
from .models import Axis, Centre, CentreAxis

PAGE_SIZE = 20
OVERSEAS_AREAS = ("Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte")


# This page may ask for the browser's position (only when the user clicks).
@permissions_policy(geolocation="self")
def directory(request):
    """The directory: filters, text search, and nearest centres to a place."""
    form = CentreFilterForm(request.GET if request.GET else None)
    context = {"form": form, "page": None, "items": []}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        centres = Centre.objects.published()
        if form.is_bound:
            centres = form.filter(centres)
        location = form.location if form.is_bound else None
        if location is not None:
            ranked = centres.ranked_by_distance(location.latitude, location.longitude)
        else:
            text = form.cleaned_data.get("q", "") if form.is_bound else ""
            ranked = centres.ranked_by_name(text)
        page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
        found = Centre.objects.for_listing().in_bulk([pk for pk, _km in page.object_list])
        items = [(found[pk], km) for pk, km in page.object_list if pk in found]
        context.update(
            page=page,
            items=items,
            location=location,
            overseas=_overseas_area(location),
            place_choices=form.place_choices if form.is_bound else (),
            filtered=form.is_bound and form.is_filtered(),
        )
    return render(request, "centres/directory.html", context, status=status)


def _overseas_area(location) -> str | None:
    """The overseas department a searched place lies in, if any (its patients
    are referred in their own way: said on the page)."""
    if location is None:
        return None
    area = france_area(location.latitude, location.longitude)
    return area if area in OVERSEAS_AREAS else None


def detail(request, slug):
    """A centre: contacts, axes, services, people, location, referral."""
    centre = get_object_or_404(Centre.objects.published().for_detail(), slug=slug)
    # One line per person, with all their roles at the centre.
    people = {}
    for role in centre.roles.all():
        people.setdefault(role.person, []).append(role)
    return render(
        request,
        "centres/detail.html",
        {
            "centre": centre,
            "axis_links": list(centre.axis_links.all()),
            "services": list(centre.services.all()),
            "people": list(people.items()),
            "map": france_map([centre], highlight=centre),
            "map_data": _map_data([centre]),
        },
    )


def map_page(request):
    """Every centre on a map drawn by the server, enhanced by Leaflet, with the list.

    Built for the network at full size (a thousand centres): centres are read as
    plain rows (3 queries, no model instances), each is listed once, the server
    map draws them as a few compact paths, and the interactive map's JSON holds
    only coordinates and axes, in the order of the list's links, which give each
    marker its name and address (static/js/map.js pairs them).
    """
    axes = list(Axis.objects.all())
    rank = {axis.pk: i for i, axis in enumerate(axes)}
    axes_of = {}
    for centre_id, axis_id in CentreAxis.objects.filter(centre__is_published=True).values_list(
        "centre_id", "axis_id"
    ):
        axes_of.setdefault(centre_id, []).append(rank[axis_id])
    rows = Centre.objects.published().values_list(
        "pk",
        "slug",
        "name",
        "city",
        "latitude",
        "longitude",
        "is_demo",
        "department__code",
        "department__region__name",
        "department__region__is_overseas",
    )
    # One reverse() for all: the slug is the only part that changes.
    url_pattern = reverse("centres:detail", kwargs={"slug": "centre-slug"})
    regions = {}
    for pk, slug, name, city, lat, lon, is_demo, department, region, overseas in sorted(
        rows, key=lambda r: (_sort_key(r[8]), _sort_key(r[2]))
    ):
        ranks = sorted(axes_of.get(pk, ()))
        item = (
            url_pattern.replace("centre-slug", slug),
            name,
            # The city, unless the name says it already (« CHU de Brest — Hôpital Morvan »).
            "" if city.lower() in name.lower() else f", {city}",
            ", ".join(axes[i].short_name for i in ranks) or "aucun axe",
            (lat, lon, ranks, department),
        )
        entry = regions.setdefault(
            region, {"name": region, "overseas": overseas, "real": [], "demo": []}
        )
        entry["demo" if is_demo else "real"].append(item)
    # The list's order: by region, each region's real centres, then its demonstration ones.
    listed = [item for r in regions.values() for item in r["real"] + r["demo"]]
    points = [
        Point(lat, lon, tuple(axes[i].colour for i in ranks) or (DEFAULT_COLOUR,), department)
        for _url, _name, _city, _axes, (lat, lon, ranks, department) in listed
    ]
    return render(
        request,
        "centres/map.html",
        {
            "regions": list(regions.values()),
            "count": len(listed),
            "demo_count": sum(len(r["demo"]) for r in regions.values()),
            "region_count": len(regions),
            "axes": axes,
            "map": draw(points),
            "map_data": {
                "tiles": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "axes": [{"name": a.short_name, "colour": a.colour} for a in axes],
                # latitude, longitude, axes as bits of "axes", for each centre in list
                # order, in one flat array (the list's links give names and addresses)
                "flat": [
                    value
                    for _url, _name, _city, _axes, (lat, lon, ranks, _department) in listed
                    for value in (round(lat, 4), round(lon, 4), sum(1 << i for i in ranks))
                ],
            },
        },
    )


# Letters folded for sorting names the French way (« CHU de Besançon » before
# « CHU Pitié »); str.translate keeps this fast enough for a thousand names.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("àâäáã", "a"),
        "ç": "c",
        **dict.fromkeys("éèêë", "e"),
        **dict.fromkeys("îïí", "i"),
        **dict.fromkeys("ôöó", "o"),
        **dict.fromkeys("ùûüú", "u"),
        "ÿ": "y",
        "œ": "oe",
        "æ": "ae",
        **dict.fromkeys("-'’—–,.", " "),
    }
)


def _sort_key(text: str) -> str:
    return " ".join(text.lower().translate(_FOLD).split())


def _map_data(centres) -> dict:
    """Markers for the interactive map, embedded as inert JSON (no inline script):
    the format static/js/map.js reads, each point naming its centre."""
    axes = {}
    for centre in centres:
        for axis in centre.axes.all():
            axes.setdefault(axis.pk, axis)
    order = sorted(axes.values(), key=lambda a: (a.order, a.name))
    bit = {axis.pk: 1 << i for i, axis in enumerate(order)}
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "axes": [{"name": a.short_name, "colour": a.colour} for a in order],
        "points": [
            [
                round(c.latitude, 5),
                round(c.longitude, 5),
                sum(bit[a.pk] for a in c.axes.all()),
                str(c),
                c.get_absolute_url(),
            ]
            for c in centres
        ],
    }
