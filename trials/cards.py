"""What the finder's result cards show, read and computed once per page in Python.

The finder's cards were a template included per trial, itself including the
axis badges, the status notice and the demo badge (about a hundred template
nodes and context pushes per card), fed with model instances of the trials,
their sites, centres and axes (some 150 instances for 20 cards). `page_cards()`
reads the few columns a card prints as plain rows, in three queries whatever
the number of trials, and returns a `Card` per trial, with its strings and
numbers ready, so that the finder's template only loops and prints.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.urls import reverse

from core.geo import distance_km

from .models import Phase, Setting, Status, Trial
from .querysets import status_check_limit

SITES_ON_CARD = 3
CARD_FIELDS = (
    "pk",
    "plain_title",
    "brief_title",
    "acronym",
    "phase",
    "study_type",
    "setting",
    "status",
    "source",
    "is_demo",
    "last_imported_at",
)
CENTRE_FIELDS = ("centre__slug", "centre__name", "centre__short_name", "centre__city")


@dataclass
class CardSite:
    url: str
    name: str
    city: str
    km: float | None


@dataclass
class Card:
    pk: int
    url: str
    title: str
    title_in_english: bool
    acronym: str
    kind: str  # the phase, or the study type
    setting: str
    status: str
    status_class: str
    unverified: bool  # the registry status is too old to trust
    unverified_since: datetime | None
    is_demo: bool
    distance: float | None = None
    axes: list[tuple[str, str]] = field(default_factory=list)  # (colour, short name)
    sites: list[CardSite] = field(default_factory=list)
    more: int = 0
    total: int = 0
    near: int | None = None  # sites within `radius`, when a place is given
    radius: int = 0


def status_class(status: str) -> str:
    """A CSS class per status family: open, soon, closed."""
    if status == Status.RECRUITING:
        return "status-open"
    if status in (Status.NOT_YET_RECRUITING, Status.ENROLLING_BY_INVITATION):
        return "status-soon"
    return "status-closed"


def page_cards(
    trials, *, site_statuses=None, location=None, radius: int = 0, distances=None, link_query=""
) -> list[Card]:
    """The cards of `trials` (a sliced queryset or a list of pks), in their order.

    Three queries: the trials' columns, their axes, and their sites at published
    centres (open ones by `site_statuses`, see TrialSiteQuerySet.governing).
    """
    TrialSite = apps.get_model("trials", "TrialSite")

    if isinstance(trials, list):
        found = {row["pk"]: row for row in Trial.objects.filter(pk__in=trials).values(*CARD_FIELDS)}
        rows = [found[pk] for pk in trials if pk in found]
    else:
        rows = list(trials.values(*CARD_FIELDS))
    ids = [row["pk"] for row in rows]
    axes: dict[int, list] = {}
    for trial_id, colour, name in (
        Trial.axes.through.objects.filter(trial_id__in=ids)
        .order_by("axis__order", "axis__name")
        .values_list("trial_id", "axis__colour", "axis__short_name")
    ):
        axes.setdefault(trial_id, []).append((colour, name))
    sites: dict[int, dict] = {}
    for trial_id, centre_id, *centre in (
        TrialSite.objects.governing(site_statuses)
        .in_network()
        .filter(trial_id__in=ids)
        .order_by("centre__city", "centre__name")
        .values_list(
            "trial_id", "centre_id", *CENTRE_FIELDS, "centre__latitude", "centre__longitude"
        )
    ):
        sites.setdefault(trial_id, {}).setdefault(centre_id, centre)  # a centre once
    limit, urls = status_check_limit(), _Urls()
    distances = distances or {}
    return [
        _card(
            row,
            axes.get(row["pk"], []),
            list(sites.get(row["pk"], {}).values()),
            location=location,
            radius=radius,
            distance=distances.get(row["pk"]),
            link_query=link_query,
            limit=limit,
            urls=urls,
        )
        for row in rows
    ]


class _Urls:
    """A page's links to trials and centres, reversed once per page rather than once
    per link (reverse() is most of what a hundred links cost)."""

    def __init__(self):
        self.trial = reverse("trials:detail", kwargs={"pk": 1234567}).replace("1234567", "{}")
        self.centre = reverse("centres:detail", kwargs={"slug": "slug-x"}).replace("slug-x", "{}")


def _card(row, axes, centres, *, location, radius, distance, link_query, limit, urls) -> Card:
    unverified = (
        row["source"] == Trial.Source.REGISTRY
        and not row["is_demo"]
        and (row["last_imported_at"] is None or row["last_imported_at"] < limit)
    )
    sites = [
        CardSite(
            urls.centre.format(slug),
            short or name,
            city,
            distance_km(location.latitude, location.longitude, lat, lon)
            if location is not None
            else None,
        )
        for slug, name, short, city, lat, lon in centres
    ]
    near = None
    if location is not None:
        sites.sort(key=lambda site: site.km)
        near = sum(1 for site in sites if site.km <= radius)
    return Card(
        pk=row["pk"],
        url=urls.trial.format(row["pk"]) + link_query,
        title=row["plain_title"] or row["brief_title"],
        title_in_english=not row["plain_title"],
        acronym=row["acronym"],
        kind=str(Phase(row["phase"]).label)
        if row["phase"]
        else str(Trial.StudyType(row["study_type"]).label),
        setting=str(Setting(row["setting"]).label) if row["setting"] else "",
        status=str(Status(row["status"]).label),
        status_class="status-soon" if unverified else status_class(row["status"]),
        unverified=unverified,
        unverified_since=row["last_imported_at"] if unverified else None,
        is_demo=row["is_demo"],
        distance=distance,
        axes=axes,
        sites=sites[:SITES_ON_CARD],
        more=max(0, len(sites) - SITES_ON_CARD),
        total=len(sites),
        near=near,
        radius=radius,
    )
