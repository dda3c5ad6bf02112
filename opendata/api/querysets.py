"""How the API loads each kind of object: every related row in a constant
number of queries, whatever the page size (tests/opendata/test_api_queries.py)."""

from django.db.models import Case, F, OuterRef, Prefetch, Q, Subquery, When

from centres.models import Centre, CentreAxis, Person
from trials.models import TrialSite

from ..people import public_roles


def centres(queryset):
    return queryset.select_related("department__region").prefetch_related(
        Prefetch("axis_links", queryset=CentreAxis.objects.select_related("axis")),
        "services",
    )


def centre_rows(queryset):
    """Centres as Payloads.centres needs them (it reads their axes and services)."""
    return queryset.select_related("department__region")


def people(queryset):
    history = Person.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return queryset.annotate(
        updated_at=Subquery(history.values("history_date")[:1])
    ).prefetch_related(
        Prefetch(
            "roles",
            queryset=public_roles()
            .select_related("centre", "axis")
            .order_by("order", "kind", "pk"),
            to_attr="public_roles",
        )
    )


def rcps(queryset):
    return queryset.select_related(
        "organiser__department", "coordinator", "secretary"
    ).prefetch_related(
        "axes__case_guide",
        "exceptions",
        Prefetch(
            "participants",
            queryset=Centre.objects.published().order_by("name", "pk"),
            to_attr="public_participants",
        ),
    )


def rcp_rows(queryset):
    """RCPs as Payloads.rcps needs them (it reads the rest)."""
    return queryset.select_related("organiser__department", "coordinator", "secretary")


def public_sites():
    """Trials' sites as the API lists them: those at a published centre (network
    sites), then the others, a site at an unpublished centre among them (it is
    written by its city only, as a site outside the network)."""
    return (
        TrialSite.objects.filter(~Q(centre__isnull=True, facility_name=""))
        .select_related("centre")
        .alias(
            network_city=Case(When(centre__is_published=True, then=F("centre__city")), default=None)
        )
        # Network centres first, by city, on every database (NULLs sort apart otherwise).
        .order_by(F("network_city").asc(nulls_last=True), "facility_city", "facility_name", "pk")
    )


def trials(queryset):
    """Trials with their sites (`public_sites`)."""
    return queryset.prefetch_related(
        "axes", Prefetch("sites", queryset=public_sites(), to_attr="public_sites")
    )
