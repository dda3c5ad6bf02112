"""iCalendar feeds (.ics): all RCPs (filterable), one axis, one centre, one RCP.

Calendar clients poll their subscriptions: each feed carries an ETag made of
the site's content version (pantogether.pagecache), the day and the URL, so
a poll with nothing new is answered 304 without computing anything. The body
is computed once per ETag and kept gzip-compressed in the cache (the feed of
every RCP over twelve months weighs megabytes, a tenth of that compressed):
clients that accept gzip, as calendar clients do, get it compressed.
"""

import gzip
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import condition

from centres.models import Axis, Centre
from pantogether import pagecache

from . import ics
from .forms import RcpFilterForm
from .models import Rcp
from .schedule import network_occurrences

CACHE_SECONDS = 900


def subscription(request, path: str, params: dict | None = None) -> dict:
    """The https and webcal:// addresses of a feed, for the subscription boxes."""
    if params:
        path = f"{path}?{urlencode(params)}"
    url = request.build_absolute_uri(path)
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def feed_etag(request, *args, **kwargs) -> str | None:
    """Changes with any content, with the day (the window moves) and with the URL.

    Asked for twice per request (the conditional GET, then the cache key): the
    content version is read once and the result kept on the request.
    """
    if not hasattr(request, "_feed_etag"):
        request._feed_etag = _etag(request)
    return request._feed_etag


def _etag(request) -> str | None:
    version = pagecache.current_version()
    if version is None:
        return None
    key = f"{version}|{timezone.localdate()}|{request.get_host()}|{request.get_full_path()}"
    # Weak: the same feed is sent compressed or not, as the client asks.
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def accepts_gzip(request) -> bool:
    """Whether Accept-Encoding lists gzip without refusing it (q=0)."""
    for item in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            return not re.fullmatch(r"\s*q\s*=\s*0(\.0*)?\s*", params)
    return False


feed_condition = condition(etag_func=feed_etag)


def _feed(request, rcps, *, name: str, description: str, filename: str) -> HttpResponse:
    etag = feed_etag(request)
    # PAGE_CACHE_SECONDS = 0 turns off the keeping of rendered public output.
    key = f"rcp-feed:{etag}" if etag and settings.PAGE_CACHE_SECONDS > 0 else None
    compressed = cache.get(key) if key else None
    if compressed is None:
        first, last = ics.feed_window(timezone.localdate())
        meetings = network_occurrences(rcps.for_listing(), first, last, ordered=False)
        body = ics.render(
            name=name,
            description=description,
            occurrences=meetings,
            absolute=request.build_absolute_uri,
            now=timezone.now(),
        )
        compressed = gzip.compress(body.encode(), compresslevel=6, mtime=0)
        if key:
            cache.set(key, compressed, min(CACHE_SECONDS, settings.PAGE_CACHE_SECONDS))
    if accepts_gzip(request):
        response = HttpResponse(compressed, content_type=ics.CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type=ics.CONTENT_TYPE)
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@feed_condition
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


@feed_condition
def axis(request, slug):
    axis = get_object_or_404(Axis, slug=slug)
    return _feed(
        request,
        Rcp.objects.published().for_axis(axis),
        name=f"RCP PAN-TOGETHER — {axis.short_name}",
        description=f"Séances des RCP du réseau PAN-TOGETHER pour l’axe {axis.name}.",
        filename=f"rcp-{axis.slug}.ics",
    )


@feed_condition
def centre(request, slug):
    centre = get_object_or_404(Centre.objects.published(), slug=slug)
    return _feed(
        request,
        Rcp.objects.published().involving(centre),
        name=f"RCP — {centre}",
        description=f"RCP organisées par {centre} ou auxquelles il participe.",
        filename=f"rcp-{centre.slug}.ics",
    )


@feed_condition
def rcp(request, slug):
    rcp = get_object_or_404(Rcp.objects.published(), slug=slug)
    return _feed(
        request,
        Rcp.objects.filter(pk=rcp.pk),
        name=rcp.name,
        description=f"Séances de la RCP « {rcp.name} » (réseau PAN-TOGETHER).",
        filename=f"rcp-{rcp.slug}.ics",
    )
