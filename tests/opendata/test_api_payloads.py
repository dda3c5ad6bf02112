"""The API's centres, RCPs and trials are written as plain dicts (payloads.py),
byte for byte as their serializers write them: every answer is compared with
the serializers' own, and the shape of each object is pinned."""

import json
from datetime import UTC, date, datetime, time

import pytest
import time_machine

from centres.models import Centre
from opendata.api import views
from rcp.models import AxisCaseGuide, Rcp, RcpException
from tests import factories
from tests.rcp.factories import make_exception, make_rcp
from tests.trials.factories import make_site, make_trial
from trials.models import Trial

pytestmark = pytest.mark.django_db

WRITTEN_AS_DICTS = [
    views.CentreList,
    views.CentreDetail,
    views.RcpList,
    views.RcpDetail,
    views.TrialList,
    views.TrialDetail,
]


@pytest.fixture
def network(axes):
    with time_machine.travel(datetime(2026, 11, 25, 9, tzinfo=UTC), tick=False):
        return make_network(axes)


def make_network(axes):
    """A little of everything each field can be: empty, null, overseas, unpublished,
    ended (the weekly RCP of 'RCP terminée' has no meeting left in March 2027)."""
    brest = factories.make_centre(
        name="CHU de Brest",
        axes=[axes["pancreas"], axes["oesophage"]],
        services=[factories.make_service(), factories.make_service()],
        finess="290000017",
        last_reviewed=date(2026, 10, 1),
        description="Centre **expert**.",
    )
    Centre.objects.filter(pk=brest.pk).update(photo="centres/façade brest.jpg")
    reunion = factories.make_centre(
        name="CHU de La Réunion",
        department_code="974",
        postcode="97400",
        city="Saint-Denis",
        latitude=-20.88,
        longitude=55.45,
    )
    hidden = factories.make_centre(name="Caché", city="Morlaix", is_published=False)
    person = factories.make_person(specialty="")
    weekly = make_rcp(
        name="RCP pancréas",
        organiser=brest,
        participants=[brest, reunion, hidden],
        axes=[axes["pancreas"]],
        coordinator=person,
        video_url="https://visio.example.org/rcp",
        video_url_is_public=True,
        last_reviewed=date(2026, 9, 1),
    )
    make_exception(weekly, date(2026, 12, 8), note="Congrès")
    make_exception(
        weekly,
        date(2026, 12, 15),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 12, 17),
        new_start_time=time(9, 30),
    )
    Rcp.objects.filter(pk=weekly.pk).update(case_form="rcp/fiches/fiche pancréas.pdf")
    AxisCaseGuide.objects.update_or_create(
        axis=axes["oesophage"], defaults={"case_form": "rcp/fiches-axes/oeso.pdf"}
    )
    make_rcp(
        name="RCP œsophage Réunion",
        organiser=reunion,
        axes=[axes["oesophage"]],
        timezone="Indian/Reunion",
        secretary=factories.make_person(),
        video_url="https://visio.example.org/privee",
        deadline_days_before=30,
        rrule="FREQ=MONTHLY;BYDAY=1WE",
        first_date=date(2026, 1, 7),
    )
    make_rcp(
        name="RCP terminée",
        rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215",
        first_date=date(2026, 11, 3),
        coordinator=factories.make_person(title="", first_name="Alix"),
        secretary=factories.make_person(title="mme", first_name=""),
    )
    full = make_trial(
        plain_title="Essai complet",
        axes=[axes["pancreas"]],
        conditions="Adénocarcinome\n\n  Pancréas  \n",
        interventions="FOLFIRINOX",
        min_age=18,
        max_age=75,
        enrollment=0,
        start_date=date(2025, 3, 1),
        registry_updated=date(2026, 11, 2),
        last_imported_at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC),
        last_reviewed=date(2026, 11, 3),
    )
    make_site(full, brest, investigator="Dr Visible", status="RECRUITING")
    make_site(full, hidden, facility_name="CHU caché", contact_name="Caché")
    make_site(full, None, facility_name="Clinique", facility_city="Nantes", status="COMPLETED")
    make_trial(plain_title="Essai fermé", status="COMPLETED", sites=[reunion])
    Trial.objects.update(updated_at=datetime(2026, 6, 30, 22, 0, tzinfo=UTC))
    return {"centre": brest, "rcp": weekly, "trial": full}


def urls(network):
    return [
        "/api/centres/",
        "/api/centres/?pres_de=29200",
        "/api/centres/?page=2&page_size=1",
        f"/api/centres/{network['centre'].slug}/",
        "/api/rcp/",
        "/api/rcp/?pres_de=97400",
        f"/api/rcp/{network['rcp'].slug}/",
        "/api/essais/",
        "/api/essais/?pres_de=29200&statut=tous",
        f"/api/essais/{network['trial'].pk}/",
    ]


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 1, 9, tzinfo=UTC),
        datetime(2026, 12, 4, 11, 30, tzinfo=UTC),  # the next meeting closed to new files
        datetime(2027, 3, 28, 0, 30, tzinfo=UTC),  # the change to summer time
    ],
)
def test_every_answer_is_byte_for_byte_the_serializers_one(client, network, monkeypatch, now):
    with time_machine.travel(now, tick=False):
        fast = {url: client.get(url) for url in urls(network)}
        for view in WRITTEN_AS_DICTS:
            monkeypatch.setattr(view, "payload", None)
        slow = {url: client.get(url) for url in urls(network)}
    for url, response in fast.items():
        assert response.status_code == 200, url
        assert response.content == slow[url].content, url
        assert response["ETag"] == slow[url]["ETag"]


def keys(obj):
    return list(obj)


@time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False)
def test_the_shape_of_each_object_is_pinned(client, network):
    centre = json.loads(client.get(f"/api/centres/{network['centre'].slug}/").content)
    assert keys(centre) == [
        "slug", "name", "short_name", "kind", "finess", "address", "postcode", "city",
        "department", "region", "latitude", "longitude", "phone", "email", "website",
        "description", "referral", "axes", "services", "photo", "photo_alt", "is_demo",
        "last_reviewed", "updated_at", "url", "feed", "distance_km",
    ]  # fmt: skip
    assert centre["axes"][0] == {"axis": "pancreas", "details": "", "phone": ""}
    assert centre["photo"] == "http://testserver/media/centres/fa%C3%A7ade%20brest.jpg"
    assert centre["url"] == f"http://testserver/centres/{centre['slug']}/"
    assert centre["feed"] == f"http://testserver/rcp/centre/{centre['slug']}.ics"
    assert (centre["latitude"], centre["last_reviewed"], centre["distance_km"]) == (
        48.39,
        "2026-10-01",
        None,
    )

    rcp = json.loads(client.get(f"/api/rcp/{network['rcp'].slug}/").content)
    assert keys(rcp) == [
        "slug", "name", "scope", "mode", "axes", "organiser", "participants", "description",
        "place", "video_url", "submission", "rrule", "first_date", "start_time",
        "duration_minutes", "timezone", "deadline_days_before", "deadline_time",
        "deadline_skips_weekend", "meets_on_holidays", "holiday_calendar", "coordinator",
        "secretary", "secretariat_phone", "secretariat_email", "secretariat_mssante",
        "next_session", "upcoming", "case_form", "feed", "is_demo", "last_reviewed",
        "updated_at", "url", "distance_km",
    ]  # fmt: skip
    assert len(rcp["participants"]) == 2 and rcp["secretary"] is None
    assert keys(rcp["coordinator"]) == ["id", "name", "specialty"]
    assert (rcp["start_time"], rcp["first_date"]) == ("14:00:00", "2026-01-06")
    assert rcp["case_form"] == f"http://testserver/rcp/{rcp['slug']}/fiche-dossier/"
    # Files for 1 December were due on 27 November; 8 December is cancelled.
    assert rcp["next_session"]["closed"] is True
    assert rcp["next_session"]["reachable"]["start"] == "2026-12-17T09:30:00+01:00"
    assert keys(rcp["next_session"]) == ["meeting", "reachable", "closed"]
    assert [(o["start"], o["status"]) for o in rcp["upcoming"][:4]] == [
        ("2026-12-01T14:00:00+01:00", "scheduled"),
        ("2026-12-08T14:00:00+01:00", "cancelled"),
        ("2026-12-17T09:30:00+01:00", "moved"),
        ("2026-12-22T14:00:00+01:00", "scheduled"),
    ]

    trial = json.loads(client.get(f"/api/essais/{network['trial'].pk}/").content)
    assert keys(trial) == [
        "id", "plain_title", "brief_title", "official_title", "acronym", "nct_number",
        "eu_ct_number", "eudract_number", "study_type", "phase", "status", "setting", "axes",
        "conditions", "interventions", "sponsor", "sponsor_type", "plain_summary",
        "key_eligibility", "sex", "min_age", "max_age", "enrollment", "start_date",
        "primary_completion_date", "registry_updated", "source", "last_imported_at",
        "contact_name", "contact_phone", "contact_email", "sites", "registry_url", "is_demo",
        "last_reviewed", "updated_at", "url", "distance_km",
    ]  # fmt: skip
    assert trial["conditions"] == ["Adénocarcinome", "Pancréas"]
    assert (trial["enrollment"], trial["primary_completion_date"]) == (0, None)
    # Datetimes in Paris time, as DRF writes them.
    assert trial["last_imported_at"] == "2026-11-21T00:30:00+01:00"
    assert trial["updated_at"] == "2026-07-01T00:00:00+02:00"
    assert trial["sites"][1] == {
        "centre": None,
        "facility_name": "",
        "facility_city": "Morlaix",
        "status": "RECRUITING",
        "investigator": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
    }
    assert trial["url"] == f"http://testserver/essais/{trial['id']}/"
