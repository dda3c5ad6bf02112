"""Public pages of the trials app: the finder, its Atom feed, a trial's page, the
printable selection and the glossary of the registry's words."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from centres.models import Centre
from core.geo import distance_km
from core.maps import france_map

from . import cards, explanations
from .forms import PrintForm, TrialFinderForm, TrialPlaceForm
from .models import GlossaryTerm, Phase, Setting, Status, Trial, TrialSite

PAGE_SIZE = 20
FEED_SIZE = 50
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


def finder(request):
    """Trials by cancer, age and place first, then status, setting, phase, region,
    centre and text. Its cards are computed in Python (trials.cards)."""
    form = TrialFinderForm(request.GET)
    context = {"form": form, "page": None, "items": []}
    status = 200
    if not form.is_valid():
        status = 400
    else:
        trials = form.filter(Trial.objects.published())
        location = form.location
        place_query = _place_query(request, location)
        if location is not None:
            page, items = _nearest_page(request, trials, location, form, place_query)
        else:
            page = Paginator(trials, PAGE_SIZE).get_page(request.GET.get("page"))
            items = cards.page_cards(page.object_list, site_statuses=form.site_statuses)
        page.object_list = items  # the page's cards: counting them reads nothing again
        context.update(
            page=page,
            items=items,
            location=location,
            place_choices=form.place_choices,
            filtered=form.is_filtered(),
            status_key=form.status_key,
            has_demo=any(item.is_demo for item in items),
            feed_query=_query(request, drop=("page",)),
        )
    return render(request, "trials/finder.html", context, status=status)


def _query(request, *, drop=()) -> str:
    """The request's query string without the parameters in `drop` ("" if empty)."""
    params = [(k, v) for k, values in request.GET.lists() if k not in drop for v in values]
    return urlencode(params)


def _place_query(request, location) -> str:
    """`?pres_de=…` for the links to a trial page, when the search has a place."""
    if location is None:
        return ""
    return "?" + urlencode({"pres_de": request.GET.get("pres_de", "")})


def _distances(trials, location, form) -> dict[int, float]:
    """{trial pk: km to its nearest open site at a centre within the radius}.

    Two queries: the centres' coordinates, then the open sites of the matching
    trials at the centres in range. Distances are computed in Python, as
    CentreQuerySet.ranked_by_distance does.
    """
    in_range = {
        pk: km
        for pk, km in Centre.objects.published().ranked_by_distance(
            location.latitude, location.longitude
        )
        if km <= form.radius
    }
    sites = (
        TrialSite.objects.governing(form.site_statuses)
        .filter(trial__in=trials.values("pk"), centre_id__in=list(in_range))
        .order_by()  # no join to the centres for the default ordering
    )
    nearest: dict[int, float] = {}
    for trial_id, centre_id in sites.values_list("trial_id", "centre_id"):
        km = in_range[centre_id]
        if trial_id not in nearest or km < nearest[trial_id]:
            nearest[trial_id] = km
    return nearest


def _nearest_page(request, trials, location, form, place_query):
    """Trials with an open site at a centre within the radius, nearest first.

    Constant queries: two for the distances (see `_distances`), then the page's
    cards (3, see cards.page_cards).
    """
    ranked = sorted(_distances(trials, location, form).items(), key=lambda i: (i[1], i[0]))
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    distances = dict(page.object_list)
    items = cards.page_cards(
        list(distances),
        site_statuses=form.site_statuses,
        location=location,
        radius=form.radius,
        distances=distances,
        link_query=place_query,
    )
    return page, items


def feed(request):
    """An Atom feed of a search (the finder's parameters): its trials, the latest
    created or changed status first, so that a patient or a doctor can follow a
    search without an account. Each status change is a new entry."""
    form = TrialFinderForm(request.GET)
    if not form.is_valid():
        errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(
            f"Recherche à corriger\u00a0: {errors}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if form.place_choices:
        return HttpResponse(
            "Plusieurs communes portent ce nom\u00a0: précisez le code postal (par exemple "
            f"«\u00a0{form.place_choices[0].postcode} {form.place_choices[0].commune}\u00a0»).",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    trials = form.filter(Trial.objects.published())
    if form.location is not None:
        trials = Trial.objects.filter(pk__in=list(_distances(trials, form.location, form)))
    entries = list(
        trials.order_by(F("status_changed_at").desc(nulls_last=True), "-pk").only(
            "pk",
            "plain_title",
            "brief_title",
            "acronym",
            "nct_number",
            "status",
            "phase",
            "study_type",
            "status_changed_at",
            "updated_at",
            "is_demo",
        )[:FEED_SIZE]
    )
    query = _query(request)
    finder_url = request.build_absolute_uri(reverse("trials:finder"))
    atom = Atom1Feed(
        title="Essais cliniques du réseau PAN-TOGETHER\u00a0: nouveaux essais et changements "
        "de statut",
        link=finder_url + (f"?{query}" if query else ""),
        description="Les essais d’une recherche, du plus récemment créé ou changé au plus ancien.",
        language="fr",
        feed_url=request.build_absolute_uri(),
        author_name="Réseau PAN-TOGETHER",
    )
    host = request.get_host().split(":")[0]
    for trial in entries:
        when = trial.status_changed_at or trial.updated_at
        label = Status(trial.status).label
        atom.add_item(
            title=f"{trial.display_title} — {label}",
            link=request.build_absolute_uri(trial.get_absolute_url()),
            description=_feed_summary(trial, label),
            unique_id=f"tag:{host},2026:/essais/{trial.pk}/{trial.status}/{when:%Y%m%dT%H%M%S}",
            updateddate=when,
            pubdate=when,
        )
    return HttpResponse(
        atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )


def _feed_summary(trial, label: str) -> str:
    kind = Phase(trial.phase).label if trial.phase else trial.get_study_type_display()
    parts = [f"Statut dans le registre\u00a0: {label}.", f"{kind}."]
    if trial.nct_number:
        parts.append(f"ClinicalTrials.gov\u00a0: {trial.nct_number}.")
    if trial.is_demo:
        parts.append("Donnée de démonstration (essai fictif).")
    return " ".join(parts)


def detail(request, pk):
    """A trial: plain summary, who can take part, where it recruits (nearest first
    from `?pres_de=`), registry links."""
    trial = get_object_or_404(Trial.objects.published().for_detail(), pk=pk)
    place = TrialPlaceForm(request.GET)
    location = place.location if place.is_valid() else None
    network, others = _sites_of(trial, location)
    centres = [site.centre for site in network]
    context = {
        "trial": trial,
        "axes": list(trial.axes.all()),
        **_french_terms(trial, _glossary([trial])),
        "network_sites": network,
        "other_sites": others,
        "place_form": place,
        "location": location,
        "print_query": urlencode(
            {"essai": trial.pk, **({"pres_de": request.GET["pres_de"]} if location else {})}
        ),
        "map": france_map(centres),
        "map_data": _map_data(centres),
    }
    return render(request, "trials/detail.html", context, status=200 if place.is_valid() else 400)


def _sites_of(trial, location):
    """The trial's network sites (one per published centre, nearest first from
    `location` when given, each with `km`) and its other French sites, each with
    the `label` the page shows.

    A site matched to an unpublished centre is not a network site: it is shown
    as a site outside the network, by its city only (« Un site à Quimper »),
    without the registry's facility name (often the centre's), its contacts or
    a link: once per centre, the site the registry lists there first.
    """
    by_centre, unpublished, others = {}, {}, []
    for site in trial.all_sites:
        if site.centre_id and site.centre.is_published:
            by_centre.setdefault(site.centre_id, []).append(site)
        elif site.centre_id:
            unpublished.setdefault(site.centre_id, []).append(site)
        elif site.facility_label:
            site.label = site.facility_label
            others.append(site)
    for sites in unpublished.values():
        registry = [site for site in sites if site.source == TrialSite.Source.REGISTRY]
        candidates = registry or sites
        site = next((s for s in candidates if s.is_recruiting), candidates[0])
        site.label = f"Un site à {site.facility_city or site.centre.city}"
        others.append(site)
    network = [_centre_entry(sites) for sites in by_centre.values()]
    for site in network:
        site.km = (
            distance_km(
                location.latitude, location.longitude, site.centre.latitude, site.centre.longitude
            )
            if location is not None
            else None
        )
    if location is not None:
        network.sort(key=lambda site: site.km)
    return network, others


def _glossary(trials) -> dict[str, str]:
    """The French of these trials' conditions and interventions (one query)."""
    texts = [text for t in trials for text in t.condition_list + t.intervention_list]
    return GlossaryTerm.objects.french_for(texts)


def _french_terms(trial, french: dict) -> dict:
    conditions = [(text, french.get(text, "")) for text in trial.condition_list]
    interventions = [(text, french.get(text, "")) for text in trial.intervention_list]
    return {
        "conditions": conditions,
        "interventions": interventions,
        "conditions_in_english": any(not fr for _text, fr in conditions),
        "interventions_in_english": any(not fr for _text, fr in interventions),
    }


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


def print_view(request):
    """« À montrer à mon médecin »: one trial or a selection, on paper. Constant
    queries: the trials and their sites (4), the glossary (1)."""
    form = PrintForm(request.GET)
    if not form.is_valid():
        return render(request, "trials/print.html", {"form": form, "entries": []}, status=400)
    ids = form.cleaned_data["essai"]
    found = Trial.objects.published().for_detail().in_bulk(ids)
    trials = [found[pk] for pk in ids if pk in found]
    french = _glossary(trials)
    entries = []
    for trial in trials:
        network, others = _sites_of(trial, form.location)
        entries.append({"trial": trial, "network_sites": network, **_french_terms(trial, french)})
    return render(
        request,
        "trials/print.html",
        {"form": form, "entries": entries, "location": form.location, "asked": len(ids)},
    )


def glossary(request):
    """Phases, situations and statuses explained in plain French (linked from the finder)."""
    return render(
        request,
        "trials/glossary.html",
        {
            "phases": explanations.explained(Phase, explanations.PHASES),
            "settings": explanations.explained(Setting, explanations.SETTINGS),
            "statuses": explanations.explained(Status, explanations.STATUSES),
        },
    )
