"""Public pages of the centres app: directory with nearest search, centre page, map."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from core.geo import france_area
from core.headers import permissions_policy
from core.maps import france_map

from .forms import CentreFilterForm
from .models import Axis, Centre

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
    """Every centre on a map drawn by the server, enhanced by Leaflet, with the list."""
    centres = list(
        Centre.objects.published().for_listing().order_by("department__region__name", "name")
    )
    regions = {}
    for centre in centres:
        regions.setdefault(centre.department.region, []).append(centre)
    return render(
        request,
        "centres/map.html",
        {
            "centres": centres,
            "regions": list(regions.items()),
            "axes": list(Axis.objects.all()),
            "map": france_map(centres),
            "map_data": _map_data(centres),
            "region_count": len({c.department.region_id for c in centres}),
        },
    )


def _map_data(centres) -> dict:
    """Markers for the interactive map, embedded as inert JSON (no inline script)."""
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "centres": [
            {
                "name": str(c),
                "url": c.get_absolute_url(),
                "lat": c.latitude,
                "lon": c.longitude,
                "colours": [a.colour for a in c.axes.all()],
                "axes": ", ".join(a.short_name for a in c.axes.all()),
            }
            for c in centres
        ],
    }
