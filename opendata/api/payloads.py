"""The JSON objects of centres, RCPs and trials, written as plain dicts.

The serializers (serializers.py) say what the API publishes and give the
schema; a page of 50 objects written through them spends most of its time in
DRF's per-field machinery (a field object, its source lookup and checks, for
each of 35 fields of each object). `Payloads` writes the same dicts directly,
byte for byte as the serializers do (tests/opendata/test_api_payloads.py
compares them on every kind of object), and:

- reverses each route once per page, not once per object (see `Links`);
- reads the related rows of a page (axes, services, participants,
  exceptions) in one query each as plain values: a prefetch builds a related
  manager, a queryset and model instances per object;
- computes an RCP's meetings once for its next session and its upcoming
  meetings (`upcoming_and_next_session`), not twice, each to the horizon.

A field added to a serializer must be added here too: the tests fail until it is.
"""

import re
from collections import defaultdict, namedtuple
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from centres.models import Centre, CentreAxis, Person
from rcp.models import Rcp, RcpException
from rcp.schedule import upcoming_and_next_session
from trials.models import Trial, TrialSite

from .querysets import public_sites
from .serializers import UPCOMING_IN_LIST, occurrence_data

# A key that reverse() writes as is (a slug, a primary key): nothing to quote.
PLAIN_KEY = re.compile(r"[-a-zA-Z0-9_]+")
MARKER = "9876543210"  # matches both the slug and the int converters


class Links:
    """Absolute URLs of one answer's objects: each route reversed once, the
    object's key put in its place (reverse() and build_absolute_uri() cost
    ~25 µs each, three times per RCP)."""

    def __init__(self, request):
        self.request = request
        self.origin = request.build_absolute_uri("/")[:-1] if request is not None else ""
        self.routes: dict[str, tuple[str, str]] = {}

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path) if self.request is not None else path

    def url(self, name: str, **kwargs) -> str:
        """`absolute(reverse(name, kwargs=kwargs))` for a route with one argument."""
        ((argument, value),) = kwargs.items()
        value = str(value)
        if not PLAIN_KEY.fullmatch(value):
            return self.absolute(reverse(name, kwargs=kwargs))
        route = self.routes.get(name)
        if route is None:
            head, tail = reverse(name, kwargs={argument: MARKER}).split(MARKER)
            route = self.routes[name] = (self.origin + head, tail)
        return f"{route[0]}{value}{route[1]}"


def grouped(rows) -> dict[int, list]:
    """{first value of each row: [the row's other values]}, in the rows' order."""
    found = defaultdict(list)
    for key, *values in rows:
        found[key].append(values[0] if len(values) == 1 else values)
    return found


def date_text(value) -> str | None:
    return value.isoformat() if value else None


def datetime_text(value: datetime | None, zone) -> str | None:
    """As DRF's DateTimeField writes it: in the current zone, UTC as Z."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


SiteRow = namedtuple("SiteRow", "status trial")
effective_status = TrialSite.effective_status.fget  # its rule, read on a row's values
SITE_COLUMNS = (
    "trial_id",
    "centre__slug",
    "centre__is_published",
    "centre__city",
    "facility_name",
    "facility_city",
    "status",
    "investigator",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def site_row_data(row, trial) -> dict:
    """A trial's site (a row of SITE_COLUMNS), as TrialSiteSerializer writes it:
    one at an unpublished centre by its city only."""
    _trial, slug, published, city, name, site_city, status, investigator, *contact = row
    status = str(effective_status(SiteRow(status, trial)))
    if slug is not None and not published:
        return {
            "centre": None,
            "facility_name": "",
            "facility_city": site_city or city,
            "status": status,
            "investigator": "",
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
        }
    return {
        "centre": slug,
        "facility_name": name,
        "facility_city": site_city,
        "status": status,
        "investigator": investigator,
        "contact_name": contact[0],
        "contact_phone": contact[1],
        "contact_email": contact[2],
    }


def optional_int(value) -> int | None:
    return None if value is None else int(value)


def km(value) -> float | None:
    return None if value is None else float(value)


class Payloads:
    """What CentreSerializer, RcpSerializer and TrialSerializer write, for one request."""

    def __init__(self, request, *, now: datetime, upcoming: int = UPCOMING_IN_LIST):
        self.links = Links(request)
        self.now = now
        self.upcoming = upcoming
        self.zone = timezone.get_current_timezone()  # DRF writes datetimes in it
        # Person.__str__ translates its title's label on each call (~100 µs).
        self.titles = {value: str(label) for value, label in Person.Title.choices}

    def person_ref(self, person) -> dict | None:
        """As PersonRefSerializer writes it; the name as Person.__str__ writes it."""
        if person is None:
            return None
        title = self.titles.get(person.title, person.title) if person.title else ""
        name = " ".join(part for part in (title, person.first_name, person.last_name) if part)
        return {"id": person.id, "name": name, "specialty": person.specialty}

    def centres(self, centres: list) -> list[dict]:
        """The centres (with their department and region), their axes and
        services read here in one query each, in the order of the prefetches
        of querysets.centres."""
        pks = [centre.pk for centre in centres]
        axes = grouped(
            CentreAxis.objects.filter(centre__in=pks).values_list(
                "centre_id", "axis__slug", "details", "phone"
            )
        )
        services = grouped(
            Centre.services.through.objects.filter(centre__in=pks)
            .order_by("service__order", "service__name")
            .values_list("centre_id", "service__slug")
        )
        return [self.centre(c, axes[c.pk], services[c.pk]) for c in centres]

    def centre(self, centre, axes, services) -> dict:
        links = self.links
        department = centre.department
        return {
            "slug": centre.slug,
            "name": centre.name,
            "short_name": centre.short_name,
            "kind": centre.kind,
            "finess": centre.finess,
            "address": centre.address,
            "postcode": centre.postcode,
            "city": centre.city,
            "department": department.code,
            "region": department.region.code,
            "latitude": float(centre.latitude),
            "longitude": float(centre.longitude),
            "phone": centre.phone,
            "email": centre.email,
            "website": centre.website,
            "description": centre.description,
            "referral": centre.referral,
            "axes": [
                {"axis": slug, "details": details, "phone": phone} for slug, details, phone in axes
            ],
            "services": services,
            "photo": links.absolute(centre.photo.url) if centre.photo else None,
            "photo_alt": centre.photo_alt,
            "is_demo": centre.is_demo,
            "last_reviewed": date_text(centre.last_reviewed),
            "updated_at": datetime_text(centre.updated_at, self.zone),
            "url": links.url("centres:detail", slug=centre.slug),
            "feed": links.url("rcp:feed_centre", slug=centre.slug),
            "distance_km": km(centre.distance_km),
        }

    def rcps(self, rcps: list) -> list[dict]:
        """The RCPs (with organiser, coordinator and secretary), their axes with
        their case guides' forms, published participants and exceptions read
        here in one query each, in the order of the prefetches of querysets.rcps."""
        pks = [rcp.pk for rcp in rcps]
        axes = grouped(
            Rcp.axes.through.objects.filter(rcp__in=pks)
            .order_by("axis__order", "axis__name")
            .values_list("rcp_id", "axis__slug", "axis__case_guide__case_form")
        )
        participants = grouped(
            Rcp.participants.through.objects.filter(
                rcp__in=pks, centre__in=Centre.objects.published().values("pk")
            )
            .order_by("centre__name", "centre__pk")
            .values_list("rcp_id", "centre__slug")
        )
        exceptions = defaultdict(list)
        for exception in RcpException.objects.filter(rcp__in=pks):
            exceptions[exception.rcp_id].append(exception)
        return [
            self.rcp(rcp, axes[rcp.pk], participants[rcp.pk], exceptions[rcp.pk]) for rcp in rcps
        ]

    def rcp(self, rcp, axes, participants, exceptions) -> dict:
        links = self.links
        upcoming, session = upcoming_and_next_session(
            rcp, now=self.now, limit=self.upcoming, exceptions=exceptions
        )
        if session is not None:
            reachable = session.reachable
            session = {
                "meeting": occurrence_data(session.meeting),
                "reachable": occurrence_data(reachable) if reachable else None,
                "closed": session.closed,
            }
        return {
            "slug": rcp.slug,
            "name": rcp.name,
            "scope": rcp.scope,
            "mode": rcp.mode,
            "axes": [slug for slug, _form in axes],
            "organiser": rcp.organiser.slug,
            "participants": participants,
            "description": rcp.description,
            "place": rcp.place,
            "video_url": rcp.video_url if rcp.video_link_is_shown else None,
            "submission": rcp.submission,
            "rrule": rcp.rrule,
            "first_date": date_text(rcp.first_date),
            "start_time": rcp.start_time.isoformat(),
            "duration_minutes": int(rcp.duration_minutes),
            "timezone": rcp.timezone,
            "deadline_days_before": int(rcp.deadline_days_before),
            "deadline_time": rcp.deadline_time.isoformat(),
            "deadline_skips_weekend": rcp.deadline_skips_weekend,
            "meets_on_holidays": rcp.meets_on_holidays,
            "holiday_calendar": str(rcp.holiday_calendar),
            "coordinator": self.person_ref(rcp.coordinator),
            "secretary": self.person_ref(rcp.secretary),
            "secretariat_phone": rcp.secretariat_phone,
            "secretariat_email": rcp.secretariat_email,
            "secretariat_mssante": rcp.secretariat_mssante,
            "next_session": session,
            "upcoming": [occurrence_data(o) for o in upcoming],
            # Rcp.case_form_file(): its own form, else one of its axes' guides.
            "case_form": links.url("rcp:case_form", slug=rcp.slug)
            if rcp.case_form or any(form for _slug, form in axes)
            else None,
            "feed": links.url("rcp:feed_rcp", slug=rcp.slug),
            "is_demo": rcp.is_demo,
            "last_reviewed": date_text(rcp.last_reviewed),
            "updated_at": datetime_text(rcp.updated_at, self.zone),
            "url": links.url("rcp:detail", slug=rcp.slug),
            "distance_km": km(rcp.distance_km),
        }

    def trials(self, trials: list) -> list[dict]:
        """The trials, their axes and sites read here in one query each, in the
        order of the prefetches of querysets.trials."""
        by_pk = {trial.pk: trial for trial in trials}
        axes = grouped(
            Trial.axes.through.objects.filter(trial__in=list(by_pk))
            .order_by("axis__order", "axis__name")
            .values_list("trial_id", "axis__slug")
        )
        sites = defaultdict(list)
        for row in public_sites().filter(trial__in=list(by_pk)).values_list(*SITE_COLUMNS):
            sites[row[0]].append(site_row_data(row, by_pk[row[0]]))
        return [self.trial(trial, axes[trial.pk], sites[trial.pk]) for trial in trials]

    def trial(self, trial, axes, sites) -> dict:
        return {
            "id": trial.id,
            "plain_title": trial.plain_title,
            "brief_title": trial.brief_title,
            "official_title": trial.official_title,
            "acronym": trial.acronym,
            "nct_number": trial.nct_number,
            "eu_ct_number": trial.eu_ct_number,
            "eudract_number": trial.eudract_number,
            "study_type": trial.study_type,
            "phase": trial.phase,
            "status": trial.status,
            "setting": trial.setting,
            "axes": axes,
            "conditions": trial.condition_list,
            "interventions": trial.intervention_list,
            "sponsor": trial.sponsor,
            "sponsor_type": trial.sponsor_type,
            "plain_summary": trial.plain_summary,
            "key_eligibility": trial.key_eligibility,
            "sex": trial.sex,
            "min_age": optional_int(trial.min_age),
            "max_age": optional_int(trial.max_age),
            "enrollment": optional_int(trial.enrollment),
            "start_date": date_text(trial.start_date),
            "primary_completion_date": date_text(trial.primary_completion_date),
            "registry_updated": date_text(trial.registry_updated),
            "source": trial.source,
            "last_imported_at": datetime_text(trial.last_imported_at, self.zone),
            "contact_name": trial.contact_name,
            "contact_phone": trial.contact_phone,
            "contact_email": trial.contact_email,
            "sites": sites,
            "registry_url": trial.ctgov_url,
            "is_demo": trial.is_demo,
            "last_reviewed": date_text(trial.last_reviewed),
            "updated_at": datetime_text(trial.updated_at, self.zone),
            "url": self.links.url("trials:detail", pk=trial.pk),
            "distance_km": km(trial.distance_km),
        }
