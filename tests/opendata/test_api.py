"""The read-only API: what a reuser gets, filtered and paged as the pages are."""

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from rcp.models import Rcp
from tests import factories
from tests.rcp.factories import make_exception, make_rcp
from tests.trials.factories import make_site, make_trial

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, (json.loads(response.content) if response.content else None)


def test_centres_lists_published_centres_by_name_with_their_axes(client, axes):
    factories.make_centre(name="Zeta CHU", axes=[axes["pancreas"]], finess="290000017")
    factories.make_centre(name="Alpha CHU")
    factories.make_centre(name="Caché", is_published=False)
    response, body = get(client, "/api/centres/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["count"] == 2
    assert [c["name"] for c in body["results"]] == ["Alpha CHU", "Zeta CHU"]
    zeta = body["results"][1]
    assert zeta["finess"] == "290000017"
    assert zeta["axes"][0]["axis"] == "pancreas"
    assert zeta["department"] == "29" and zeta["region"] == "53"
    assert zeta["url"].startswith("http://testserver/centres/")


def test_centre_filters_are_those_of_the_directory(client, axes):
    factories.make_centre(name="Brest", axes=[axes["pancreas"]])
    factories.make_centre(
        name="Lyon",
        department_code="69",
        postcode="69003",
        city="Lyon",
        latitude=45.76,
        longitude=4.85,
    )
    _r, body = get(client, "/api/centres/?axe=pancreas")
    assert [c["name"] for c in body["results"]] == ["Brest"]
    _r, body = get(client, "/api/centres/?region=auvergne-rhone-alpes")
    assert [c["name"] for c in body["results"]] == ["Lyon"]
    _r, body = get(client, "/api/centres/?pres_de=69003")
    assert [c["name"] for c in body["results"]] == ["Lyon", "Brest"]
    assert body["results"][0]["distance_km"] < 5 < body["results"][1]["distance_km"]


@pytest.mark.parametrize(
    "query",
    [
        "page_size=101",
        "page=0",
        "page=abc",
        "axe=inconnu",
        "axe=%00",
        "q=%00",
        "q=" + "x" * 101,
        "pres_de=nulle-part-zzz",
        "updated_since=hier",
        "updated_since=%00",
        "updated_since=9999-12-31T23:59:59-14:00",
        "updated_since=0001-01-01T00:00:00%2B14:00",
        "type=hopital",
        "lat=91&lon=0",
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, query):
    response, body = get(client, f"/api/centres/?{query}")
    assert response.status_code == 400
    assert body["detail"] == "Paramètres refusés."
    assert body["errors"]


def test_pages_are_bounded_and_linked(client):
    for n in range(5):
        factories.make_centre(name=f"Centre {n}")
    _r, body = get(client, "/api/centres/?page_size=2")
    assert body["count"] == 5 and len(body["results"]) == 2
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/centres/?page_size=2&page=2"
    _r, last = get(client, "/api/centres/?page_size=2&page=3")
    assert [c["name"] for c in last["results"]] == ["Centre 4"] and last["next"] is None
    _r, beyond = get(client, "/api/centres/?page_size=2&page=9")
    assert beyond["results"] == [] and beyond["count"] == 5


def test_updated_since_gives_what_changed(client):
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
        factories.make_centre(name="Ancien")
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=UTC), tick=False):
        factories.make_centre(name="Récent")
    _r, body = get(client, "/api/centres/?updated_since=2026-02-01T00:00:00%2B01:00")
    assert [c["name"] for c in body["results"]] == ["Récent"]
    _r, body = get(client, "/api/centres/?updated_since=2026-02-01")
    assert [c["name"] for c in body["results"]] == ["Récent"]


def test_updated_since_counts_a_change_of_what_a_row_publishes(client):
    """An RCP whose meeting is cancelled, a trial whose site closes or goes,
    a centre whose axes change: each answered as changed, though its own row
    was not saved; the rows nothing touched are not."""
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
        brest = factories.make_centre(name="Brest")
        quimper = factories.make_centre(name="Quimper")
        cancelled, untouched = make_rcp(organiser=brest), make_rcp(organiser=brest)
        closed = make_trial(sites=[brest])
        removed = make_trial(sites=[quimper])
        make_trial(sites=[brest])  # untouched
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=UTC), tick=False):
        make_exception(cancelled, date(2026, 3, 17), note="Congrès")
        site = closed.sites.get()
        site.status = "COMPLETED"
        site.save()
        removed.sites.get().delete()
    since = "?updated_since=2026-02-01"
    _r, rcps = get(client, f"/api/rcp/{since}")
    assert [r["slug"] for r in rcps["results"]] == [cancelled.slug]
    _r, trials = get(client, f"/api/essais/{since}")
    assert sorted(t["id"] for t in trials["results"]) == sorted([closed.pk, removed.pk])
    _r, centres = get(client, f"/api/centres/{since}")
    assert centres["results"] == []
    assert untouched.slug not in str(rcps)


def test_updated_since_counts_a_renamed_coordinator_of_an_rcp(client):
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
        person = factories.make_person(last_name="Avant")
        rcp = make_rcp(coordinator=person)
        make_rcp()
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=UTC), tick=False):
        person.last_name = "Après"
        person.save()
    _r, rcps = get(client, "/api/rcp/?updated_since=2026-02-01")
    assert [r["slug"] for r in rcps["results"]] == [rcp.slug]


def test_an_unchanged_answer_costs_a_304(client):
    centre = factories.make_centre(name="Brest")
    response, _ = get(client, "/api/centres/")
    etag = response["ETag"]
    assert etag.startswith('"') and response["Cache-Control"] == "public, no-cache"
    again, body = get(client, "/api/centres/", If_None_Match=etag)
    assert again.status_code == 304 and body is None
    assert again["ETag"] == etag
    centre.phone = "02 98 00 00 00"
    centre.save()
    changed, _ = get(client, "/api/centres/", If_None_Match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_an_object_dates_its_last_change_but_only_its_etag_validates(client):
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
        centre = factories.make_centre(name="Brest")
    response, body = get(client, f"/api/centres/{centre.slug}/")
    assert response["Last-Modified"] == "Sat, 10 Jan 2026 09:00:00 GMT"
    assert body["updated_at"] == "2026-01-10T10:00:00+01:00"
    # A change to what hangs on the centre (its axes) moves no date: the ETag decides.
    since, _ = get(
        client, f"/api/centres/{centre.slug}/", If_Modified_Since=response["Last-Modified"]
    )
    assert since.status_code == 200
    same, _ = get(client, f"/api/centres/{centre.slug}/", If_None_Match=response["ETag"])
    assert same.status_code == 304


def test_an_unpublished_or_unknown_object_is_a_404(client):
    hidden = factories.make_centre(is_published=False)
    trial = make_trial(is_published=False)
    for url in (
        f"/api/centres/{hidden.slug}/",
        "/api/centres/inconnu/",
        f"/api/essais/{trial.pk}/",
        "/api/essais/999999999999999999/",
        "/api/rcp/inconnue/",
    ):
        response, body = get(client, url)
        assert response.status_code == 404, url
        assert body["detail"]


def test_any_origin_may_read_and_nothing_else(client):
    response = client.get("/api/centres/", headers={"Origin": "https://dsrc.example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    # CORP stays same-origin (the site default): it governs no-cors loads, not CORS reads.
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    preflight = client.options(
        "/api/centres/",
        headers={
            "Origin": "https://dsrc.example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    for method in (client.post, client.put, client.patch, client.delete):
        refused = method("/api/centres/", headers={"Origin": "https://dsrc.example.org"})
        assert refused.status_code == 405
        assert "Access-Control-Allow-Origin" not in refused


def test_the_api_sets_no_cookie_and_shows_staff_what_everyone_sees(client, django_user_model):
    factories.make_centre(is_published=False)
    response, body = get(client, "/api/centres/")
    assert body["count"] == 0
    assert not response.cookies
    staff = django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    _r, body = get(client, "/api/centres/")
    assert body["count"] == 0


@time_machine.travel(datetime(2026, 11, 30, 9, tzinfo=UTC), tick=False)
def test_an_rcp_gives_its_rule_next_session_and_deadline(client, axes):
    rcp = make_rcp(
        name="RCP pancréas Bretagne",
        axes=[axes["pancreas"]],
        rrule="FREQ=WEEKLY;BYDAY=TU",
        first_date=date(2026, 1, 6),
    )
    make_exception(rcp, date(2026, 12, 1), note="Congrès")
    _r, body = get(client, f"/api/rcp/{rcp.slug}/")
    assert body["rrule"] == "FREQ=WEEKLY;BYDAY=TU"
    assert body["timezone"] == "Europe/Paris"
    assert body["upcoming"][0] == {
        "original_date": "2026-12-01",
        "start": "2026-12-01T14:00:00+01:00",
        "end": "2026-12-01T16:00:00+01:00",
        "deadline": "2026-11-27T12:00:00+01:00",
        "status": "cancelled",
        "note": "Congrès",
    }
    assert len(body["upcoming"]) == 10
    nxt = body["next_session"]
    assert nxt["meeting"]["start"] == "2026-12-08T14:00:00+01:00"
    assert nxt["meeting"]["deadline"] == "2026-12-04T12:00:00+01:00"
    assert nxt["closed"] is False and nxt["reachable"] == nxt["meeting"]
    assert body["feed"] == f"http://testserver/rcp/{rcp.slug}.ics"
    _r, listed = get(client, "/api/rcp/?axe=pancreas")
    assert listed["count"] == 1 and len(listed["results"][0]["upcoming"]) == 3


@time_machine.travel(datetime(2026, 12, 7, 12, tzinfo=UTC), tick=False)
def test_an_rcp_in_la_reunion_gives_local_times(client):
    centre = factories.make_centre(
        department_code="974",
        postcode="97400",
        city="Saint-Denis",
        latitude=-20.88,
        longitude=55.45,
    )
    rcp = make_rcp(organiser=centre, timezone="Indian/Reunion", first_date=date(2026, 1, 6))
    _r, body = get(client, f"/api/rcp/{rcp.slug}/")
    assert body["next_session"]["meeting"]["start"] == "2026-12-08T14:00:00+04:00"
    assert body["holiday_calendar"]


def test_trials_list_every_published_status_by_default_and_filter_like_the_finder(client, axes):
    open_trial = make_trial(plain_title="Ouvert", axes=[axes["pancreas"]])
    make_trial(plain_title="Fini", status="COMPLETED")
    make_trial(plain_title="Brouillon", is_published=False)
    _r, body = get(client, "/api/essais/")
    assert sorted(t["plain_title"] for t in body["results"]) == ["Fini", "Ouvert"]
    _r, body = get(client, "/api/essais/?statut=recrute&axe=pancreas")
    assert [t["id"] for t in body["results"]] == [open_trial.pk]


def test_a_trial_lists_its_sites_but_never_an_unpublished_centre(client):
    """A site at an unpublished centre is a site outside the network, by its city
    only: no centre, no facility name, no investigator or contact (issue 12)."""
    shown = factories.make_centre(name="CHU public")
    hidden = factories.make_centre(name="CHU caché", city="Morlaix", is_published=False)
    trial = make_trial()
    make_site(trial, shown, investigator="Dr Visible")
    make_site(
        trial, hidden, investigator="Dr Caché", facility_name="CHU caché", contact_name="Caché"
    )
    make_site(trial, None, facility_name="Clinique hors réseau", facility_city="Nantes")
    response, body = get(client, f"/api/essais/{trial.pk}/")
    assert [(s["centre"], s["facility_name"], s["facility_city"]) for s in body["sites"]] == [
        (shown.slug, "", ""),
        (None, "", "Morlaix"),
        (None, "Clinique hors réseau", "Nantes"),
    ]
    assert "Caché" not in response.content.decode()
    assert "caché" not in response.content.decode()


def test_people_are_those_the_site_names_with_their_public_roles(client, axes):
    public = factories.make_centre()
    hidden = factories.make_centre(is_published=False)
    shown = factories.make_person(last_name="Visible")
    factories.make_role(shown, centre=public)
    factories.make_role(shown, centre=hidden, kind="research")
    secret = factories.make_person(last_name="Invisible")
    factories.make_role(secret, centre=hidden)
    coordinator = factories.make_person(last_name="Coordinatrice")
    factories.make_role(coordinator, kind="axis", axis=axes["foie-voies-biliaires"])
    _r, body = get(client, "/api/personnes/")
    assert [p["last_name"] for p in body["results"]] == ["Coordinatrice", "Visible"]
    assert body["results"][1]["roles"] == [
        {"kind": "referent", "centre": public.slug, "axis": None, "label": ""}
    ]
    _r, body = get(client, "/api/personnes/?axe=foie-voies-biliaires")
    assert [p["last_name"] for p in body["results"]] == ["Coordinatrice"]


def test_reference_lists_and_index(client):
    _r, body = get(client, "/api/axes/")
    assert [a["slug"] for a in body["results"]] == ["pancreas", "oesophage", "foie-voies-biliaires"]
    _r, body = get(client, "/api/departements/?page_size=100&page=2")
    assert body["count"] == 101 and body["results"][0]["code"] == "976"
    _r, body = get(client, "/api/")
    assert body["centres"] == "http://testserver/api/centres/"


def test_the_schema_is_openapi_3_and_the_docs_load_vendored_files(client):
    response, schema = get(client, "/api/schema/")
    assert schema["openapi"].startswith("3.")
    assert "/api/rcp/{slug}/" in schema["paths"]
    docs = client.get("/api/docs/")
    html = docs.content.decode()
    assert "/static/vendor/swagger-ui-5.36.0/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "style=" not in html
    assert "'unsafe-inline'" not in docs["Content-Security-Policy"]


def test_answers_carry_their_timezone(client):
    # updated_at in Paris time, with its offset
    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=UTC), tick=False):
        factories.make_centre()
    _r, body = get(client, "/api/centres/")
    assert body["results"][0]["updated_at"] == "2026-07-01T12:00:00+02:00"
    assert timezone.get_current_timezone_name() == "Europe/Paris"
    assert Rcp.objects.count() == 0
