"""iCalendar feeds (.ics) of the meetings and of the submission deadlines
("échéances"): the whole network (filterable, or a chosen set of RCPs), one
axis, one centre, one RCP; and the subscription page of a chosen set.

A feed's address survives a change of the RCP's slug: a former slug found in
the RCP's history answers with a permanent redirect to the current address
(`rcp.slugs`), so subscribed calendars follow it, and the addresses stay
readable.

Calendar clients poll their subscriptions. The views only render the feed;
the page cache (core/pagecache.py) keeps the response a short while and
answers polls with an ETag (304 when nothing changed) and gzip to clients
that accept it.
"""

from datetime import datetime, time
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from centres.models import Axis, Centre

from . import ics
from .forms import MAX_SELECTION, FeedForm, ReminderForm, SelectionForm
from .models import Rcp
from .schedule import series
from .slugs import current_slugs, former_rcp

# How long a calendar client may keep a feed before asking again.
CLIENT_CACHE_SECONDS = 900
DEADLINES_NAME = "Échéances"


def subscription(request, path: str, params: dict | None = None) -> dict:
    """The https and webcal:// addresses of a feed, for the subscription boxes."""
    if params:
        query = params.urlencode() if isinstance(params, QueryDict) else urlencode(params)
        path = f"{path}?{query}"
    url = request.build_absolute_uri(path)
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def feed_links(request, label: str, route: str, args=(), params=None) -> dict:
    """A feed and its "échéances" twin, both addresses of each."""
    return {
        "label": label,
        "meetings": subscription(request, reverse(f"rcp:feed_{route}", args=args), params),
        "deadlines": subscription(request, reverse(f"rcp:deadlines_{route}", args=args), params),
    }


def _bad_request(text: str = "Paramètres invalides.") -> HttpResponse:
    return HttpResponse(text + "\n", status=400, content_type="text/plain; charset=utf-8")


def _feed(
    request, rcps, *, name: str, scope: str, filename: str, deadlines: bool, reminder: str
) -> HttpResponse:
    today = timezone.localdate()
    first, last = ics.feed_window(today)
    exceptions: dict[int, list] = {}
    for exception in rcps.exceptions_for():
        exceptions.setdefault(exception.rcp_id, []).append(exception)
    items = []
    for rcp in rcps.for_feed():
        found = series(rcp, first, last, exceptions.get(rcp.pk, ()))
        if found is not None:
            changed = [x for x in (rcp.updated_at, rcp.exceptions_changed) if x]
            items.append((found, rcp.feed_sequence, max(changed) if changed else None))
    if deadlines:
        name = f"{DEADLINES_NAME} — {name}"
        description = f"Dates limites d’envoi des dossiers {scope}."
    else:
        description = f"Séances {scope}, avec la date limite d’envoi des dossiers de chacune."
    body = ics.render(
        name=name,
        description=description,
        series=items,
        absolute=request.build_absolute_uri,
        # The instant the day's feed was made: the same text all day while
        # nothing changes, so that a poll gets a 304.
        now=datetime.combine(today, time(0), timezone.get_current_timezone()),
        reminder=reminder,
        deadlines=deadlines,
    )
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    prefix = "echeances-" if deadlines else ""
    response["Content-Disposition"] = f'attachment; filename="{prefix}{filename}"'
    response["Cache-Control"] = f"public, max-age={CLIENT_CACHE_SECONDS}"
    return response


def _with_slugs(request, selection: list[str], renamed: dict[str, str]) -> HttpResponse:
    """A permanent redirect to the same address with the current slugs."""
    query = request.GET.copy()
    query.setlist("rcp", [renamed.get(slug, slug) for slug in selection])
    return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")


def _all(request, *, deadlines: bool):
    """Every published RCP, those matching the directory's filters, or a chosen set."""
    form = FeedForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _bad_request()
    data = form.cleaned_data if form.is_bound else {}
    rcps = Rcp.objects.published()
    selection = data.get("rcp") or []
    if selection:
        renamed = current_slugs(selection)
        if renamed:
            return _with_slugs(request, selection, renamed)
        rcps = rcps.filter(slug__in=selection)
        name = "RCP PAN-TOGETHER (ma sélection)"
    else:
        if form.is_bound:
            rcps = form.filter(rcps)
        filtered = form.is_bound and form.is_filtered()
        name = "RCP PAN-TOGETHER" + (" (sélection)" if filtered else "")
    return _feed(
        request,
        rcps,
        name=name,
        scope="des RCP du réseau PAN-TOGETHER",
        filename="rcp-pan-together.ics",
        deadlines=deadlines,
        reminder=data.get("rappel", ""),
    )


def _reminder(request) -> str | None:
    """The reminder asked for ("" for none), or None when the query is invalid."""
    form = ReminderForm(request.GET or None)
    if not form.is_bound:
        return ""
    return form.cleaned_data["rappel"] if form.is_valid() else None


def _axis(request, slug, *, deadlines: bool):
    reminder = _reminder(request)
    if reminder is None:
        return _bad_request()
    axis = get_object_or_404(Axis, slug=slug)
    return _feed(
        request,
        Rcp.objects.published().for_axis(axis),
        name=f"RCP PAN-TOGETHER — {axis.short_name}",
        scope=f"des RCP du réseau PAN-TOGETHER pour l’axe {axis.name}",
        filename=f"rcp-{axis.slug}.ics",
        deadlines=deadlines,
        reminder=reminder,
    )


def _centre(request, slug, *, deadlines: bool):
    reminder = _reminder(request)
    if reminder is None:
        return _bad_request()
    centre = get_object_or_404(Centre.objects.published(), slug=slug)
    return _feed(
        request,
        Rcp.objects.published().involving(centre),
        name=f"RCP — {centre}",
        scope=f"des RCP organisées par {centre} ou auxquelles il participe",
        filename=f"rcp-{centre.slug}.ics",
        deadlines=deadlines,
        reminder=reminder,
    )


def _rcp(request, slug, *, deadlines: bool):
    reminder = _reminder(request)
    if reminder is None:
        return _bad_request()
    rcp = Rcp.objects.published().filter(slug=slug).only("pk", "name", "slug").first()
    if rcp is None:
        moved = former_rcp(slug)
        if moved is None:
            raise Http404("RCP inconnue")
        route = "rcp:deadlines_rcp" if deadlines else "rcp:feed_rcp"
        query = request.META.get("QUERY_STRING", "")
        url = reverse(route, args=[moved.slug]) + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(url)
    return _feed(
        request,
        Rcp.objects.filter(pk=rcp.pk),
        name=rcp.name,
        scope=f"de la RCP «\u00a0{rcp.name}\u00a0» (réseau PAN-TOGETHER)",
        filename=f"rcp-{rcp.slug}.ics",
        deadlines=deadlines,
        reminder=reminder,
    )


def all_rcps(request):
    return _all(request, deadlines=False)


def all_deadlines(request):
    return _all(request, deadlines=True)


def axis(request, slug):
    return _axis(request, slug, deadlines=False)


def axis_deadlines(request, slug):
    return _axis(request, slug, deadlines=True)


def centre(request, slug):
    return _centre(request, slug, deadlines=False)


def centre_deadlines(request, slug):
    return _centre(request, slug, deadlines=True)


def rcp(request, slug):
    return _rcp(request, slug, deadlines=False)


def rcp_deadlines(request, slug):
    return _rcp(request, slug, deadlines=True)


def chosen(request):
    """The subscription addresses of a chosen set of RCPs (picked on the
    directory with checkboxes, no account: the address holds the choice)."""
    form = SelectionForm(request.GET or None)
    context = {"form": form, "rcps": [], "max_selection": MAX_SELECTION}
    if form.is_bound and not form.is_valid():
        return render(request, "rcp/subscription.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    selection = data.get("rcp") or []
    if selection:
        renamed = current_slugs(selection)
        if renamed:
            return _with_slugs(request, selection, renamed)
    rcps = list(
        Rcp.objects.published()
        .filter(slug__in=selection)
        .select_related("organiser")
        .only("name", "slug", "organiser__name", "organiser__short_name")
    )
    known = {rcp.slug for rcp in rcps}
    slugs = [slug for slug in selection if slug in known]
    params = QueryDict(mutable=True)
    params.setlist("rcp", slugs)
    if data.get("rappel"):
        params["rappel"] = data["rappel"]
    context.update(
        rcps=rcps,
        unknown=[slug for slug in selection if slug not in known],
        feed_list=[feed_links(request, "Ma sélection de RCP", "all", params=params)]
        if rcps
        else [],
        reminder=data.get("rappel", ""),
    )
    return render(request, "rcp/subscription.html", context)
