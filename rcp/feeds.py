"""iCalendar feeds (.ics): all RCPs (filterable), one axis, one centre, one RCP.

Calendar clients poll their subscriptions. The views only render the feed;
the page cache (core/pagecache.py) keeps the response a short while and
answers polls with an ETag (304 when nothing changed) and gzip to clients
that accept it, as calendar clients do.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from centres.models import Axis, Centre

from . import ics
from .forms import RcpFilterForm
from .models import Rcp
from .schedule import network_occurrences

# How long a calendar client may keep a feed before asking again.
CLIENT_CACHE_SECONDS = 900


def subscription(request, path: str, params: dict | None = None) -> dict:
    """The https and webcal:// addresses of a feed, for the subscription boxes."""
    if params:
        path = f"{path}?{urlencode(params)}"
    url = request.build_absolute_uri(path)
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def _feed(request, rcps, *, name: str, description: str, filename: str) -> HttpResponse:
    first, last = ics.feed_window(timezone.localdate())
    meetings = network_occurrences(rcps.for_listing(), first, last, ordered=False)
    body = ics.render(
        name=name,
        description=description,
        occurrences=meetings,
        absolute=request.build_absolute_uri,
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={CLIENT_CACHE_SECONDS}"
    return response


def all_rcps(request):
    """Every published RCP, or those matching the directory's filters."""
    form = RcpFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "Paramètres de filtre invalides.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rcps = form.filter(Rcp.objects.published()) if form.is_bound else Rcp.objects.published()
    filtered = form.is_bound and form.is_filtered()
    return _feed(
        request,
        rcps,
        name="RCP PAN-TOGETHER" + (" (sélection)" if filtered else ""),
        description="Séances des RCP du réseau PAN-TOGETHER, avec leurs dates limites d’envoi.",
        filename="rcp-pan-together.ics",
    )


def axis(request, slug):
    axis = get_object_or_404(Axis, slug=slug)
    return _feed(
        request,
        Rcp.objects.published().for_axis(axis),
        name=f"RCP PAN-TOGETHER — {axis.short_name}",
        description=f"Séances des RCP du réseau PAN-TOGETHER pour l’axe {axis.name}.",
        filename=f"rcp-{axis.slug}.ics",
    )


def centre(request, slug):
    centre = get_object_or_404(Centre.objects.published(), slug=slug)
    return _feed(
        request,
        Rcp.objects.published().involving(centre),
        name=f"RCP — {centre}",
        description=f"RCP organisées par {centre} ou auxquelles il participe.",
        filename=f"rcp-{centre.slug}.ics",
    )


def rcp(request, slug):
    rcp = get_object_or_404(Rcp.objects.published(), slug=slug)
    return _feed(
        request,
        Rcp.objects.filter(pk=rcp.pk),
        name=rcp.name,
        description=f"Séances de la RCP « {rcp.name} » (réseau PAN-TOGETHER).",
        filename=f"rcp-{rcp.slug}.ics",
    )
