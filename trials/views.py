"""Public pages of the trials app: the finder and a trial's page."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from centres.models import Centre
from core.geo import distance_km
from core.maps import france_map

from .forms import TrialFinderForm
from .models import Trial, TrialSite

PAGE_SIZE = 20
SITES_ON_CARD = 3
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


def finder(request):
    """Trials by cancer, status, setting, phase, region, centre, text, and near a place."""
    form = TrialFinderForm(request.GET)
    context = {"form": form, "page": None, "items": []}
    status = 200
    if not form.is_valid():
        status = 400
    else:
        trials = form.filter(Trial.objects.published())
        site_statuses = form.site_statuses
        location = form.location
        if location is not None:
            page, items = _nearest_page(request, trials, location, form)
        else:
            listed = trials.for_listing(site_statuses=site_statuses)
            page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
            items = [(trial, None, _card_sites(trial, None)) for trial in page.object_list]
        context.update(
            page=page,
            items=items,
            location=location,
            place_choices=form.place_choices,
            filtered=form.is_filtered(),
            status_key=form.status_key,
            has_demo=any(trial.is_demo for trial, _km, _sites in items),
        )
    return render(request, "trials/finder.html", context, status=status)


def _nearest_page(request, trials, location, form):
    """Trials with an open site at a centre within the radius, nearest first.

    Constant queries: the centres' coordinates (1), the open sites of the
    matching trials at the centres in range (1), then the page's trials (3).
    Distances are computed in Python, as CentreQuerySet.ranked_by_distance does.
    """
    in_range = {
        pk: km
        for pk, km in Centre.objects.published().ranked_by_distance(
            location.latitude, location.longitude
        )
        if km <= form.radius
    }
    sites = TrialSite.objects.governing(form.site_statuses).filter(
        trial__in=trials.values("pk"), centre_id__in=list(in_range)
    )
    nearest: dict[int, float] = {}
    for trial_id, centre_id in sites.values_list("trial_id", "centre_id"):
        km = in_range[centre_id]
        if trial_id not in nearest or km < nearest[trial_id]:
            nearest[trial_id] = km
    ranked = sorted(nearest.items(), key=lambda item: (item[1], item[0]))
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    found = Trial.objects.for_listing(site_statuses=form.site_statuses).in_bulk(
        [pk for pk, _km in page.object_list]
    )
    items = [
        (found[pk], km, _card_sites(found[pk], location))
        for pk, km in page.object_list
        if pk in found
    ]
    return page, items


def _card_sites(trial, location):
    """Up to three of the trial's open network sites, nearest first when a place is given;
    returns (sites as (site, km or None), how many more)."""
    seen, sites = set(), []
    for site in trial.listed_sites:
        if site.centre_id in seen:
            continue
        seen.add(site.centre_id)
        km = (
            distance_km(
                location.latitude, location.longitude, site.centre.latitude, site.centre.longitude
            )
            if location is not None
            else None
        )
        sites.append((site, km))
    if location is not None:
        sites.sort(key=lambda item: item[1])
    return sites[:SITES_ON_CARD], max(0, len(sites) - SITES_ON_CARD)


def detail(request, pk):
    """A trial: plain summary, who can take part, where it recruits, registry links."""
    trial = get_object_or_404(Trial.objects.published().for_detail(), pk=pk)
    by_centre, others = {}, []
    for site in trial.all_sites:
        if site.centre_id and site.centre.is_published:
            by_centre.setdefault(site.centre_id, []).append(site)
        elif site.facility_label:  # never an unpublished centre's name
            others.append(site)
    network = [_centre_entry(sites) for sites in by_centre.values()]
    centres = [site.centre for site in network]
    return render(
        request,
        "trials/detail.html",
        {
            "trial": trial,
            "axes": list(trial.axes.all()),
            "network_sites": network,
            "other_sites": others,
            "map": france_map(centres),
            "map_data": _map_data(centres),
        },
    )


def _centre_entry(sites):
    """The site to show for one centre, among the trial's sites there.

    The registry's sites govern the centre when it lists it (as in
    TrialSiteQuerySet.governing), an open one first; a contact or investigator
    the shown site lacks is taken from another site there (staff often add a
    site for a local contact), in memory only, never saved.
    """
    registry = [site for site in sites if site.source == TrialSite.Source.REGISTRY]
    candidates = registry or sites
    shown = next((site for site in candidates if site.is_recruiting), candidates[0])
    for other in sites:
        if not shown.investigator and other.investigator:
            shown.investigator = other.investigator
        if not _has_contact(shown) and _has_contact(other):
            for name in CONTACT_FIELDS:
                setattr(shown, name, getattr(other, name))
    return shown


def _has_contact(site) -> bool:
    return any(getattr(site, name) for name in CONTACT_FIELDS)


def _map_data(centres) -> dict:
    """Markers for the interactive map, as inert JSON (the format static/js/map.js reads)."""
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
