"""The JSON objects of centres, RCPs and trials, written as plain dicts.

The serializers (serializers.py) say what the API publishes and give the
schema; a page of 50 objects written through them spends most of its time in
DRF's per-field machinery (a field object, its source lookup and checks, for
each of 35 fields of each object). `Payloads` writes the same dicts directly,
byte for byte as the serializers do (tests/opendata/test_api_payloads.py
compares them on every kind of object), and:

- reverses each route once per page, not once per object (see `Links`);
- computes an RCP's meetings once for its next session and its upcoming
  meetings (`upcoming_and_next_session`), not twice, each to the horizon.

A field added to a serializer must be added here too: the tests fail until it is.
"""

import re
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from centres.models import Person
from rcp.schedule import upcoming_and_next_session

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


def date_text(value) -> str | None:
    return value.isoformat() if value else None


def datetime_text(value: datetime | None, zone) -> str | None:
    """As DRF's DateTimeField writes it: in the current zone, UTC as Z."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def site_data(site) -> dict:
    """A trial's site, as TrialSiteSerializer writes it: one at an unpublished
    centre by its city only."""
    centre = site.centre
    if centre is not None and not centre.is_published:
        return {
            "centre": None,
            "facility_name": "",
            "facility_city": site.facility_city or centre.city,
            "status": str(site.effective_status),
            "investigator": "",
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
        }
    return {
        "centre": centre.slug if centre is not None else None,
        "facility_name": site.facility_name,
        "facility_city": site.facility_city,
        "status": str(site.effective_status),
        "investigator": site.investigator,
        "contact_name": site.contact_name,
        "contact_phone": site.contact_phone,
        "contact_email": site.contact_email,
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

    def centre(self, centre) -> dict:
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
                {"axis": link.axis.slug, "details": link.details, "phone": link.phone}
                for link in centre.axis_links.all()
            ],
            "services": [service.slug for service in centre.services.all()],
            "photo": links.absolute(centre.photo.url) if centre.photo else None,
            "photo_alt": centre.photo_alt,
            "is_demo": centre.is_demo,
            "last_reviewed": date_text(centre.last_reviewed),
            "updated_at": datetime_text(centre.updated_at, self.zone),
            "url": links.url("centres:detail", slug=centre.slug),
            "feed": links.url("rcp:feed_centre", slug=centre.slug),
            "distance_km": km(centre.distance_km),
        }

    def rcp(self, rcp) -> dict:
        links = self.links
        upcoming, session = upcoming_and_next_session(rcp, now=self.now, limit=self.upcoming)
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
            "axes": [axis.slug for axis in rcp.axes.all()],
            "organiser": rcp.organiser.slug,
            "participants": [centre.slug for centre in rcp.public_participants],
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
            "case_form": links.url("rcp:case_form", slug=rcp.slug)
            if rcp.case_form_file()
            else None,
            "feed": links.url("rcp:feed_rcp", slug=rcp.slug),
            "is_demo": rcp.is_demo,
            "last_reviewed": date_text(rcp.last_reviewed),
            "updated_at": datetime_text(rcp.updated_at, self.zone),
            "url": links.url("rcp:detail", slug=rcp.slug),
            "distance_km": km(rcp.distance_km),
        }

    def trial(self, trial) -> dict:
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
            "axes": [axis.slug for axis in trial.axes.all()],
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
            "sites": [site_data(site) for site in trial.public_sites],
            "registry_url": trial.ctgov_url,
            "is_demo": trial.is_demo,
            "last_reviewed": date_text(trial.last_reviewed),
            "updated_at": datetime_text(trial.updated_at, self.zone),
            "url": self.links.url("trials:detail", pk=trial.pk),
            "distance_km": km(trial.distance_km),
        }
