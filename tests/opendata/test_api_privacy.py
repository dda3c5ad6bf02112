"""Nothing private leaves through the API: field by field, and by value.

The world below holds every kind of private data the models keep (an
unpublished centre, RCP and trial, an RCP's private video link, editors'
accounts, review notes, registry keys, search copies, a person named only
by unpublished content). Every answer of every endpoint is read: its keys
must be exactly the published ones listed here, and no private value may
appear anywhere in its body.
"""

import json
from datetime import date

import pytest
from django.contrib.auth.models import User

from tests import factories
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_site, make_trial

pytestmark = pytest.mark.django_db

SECRETS = [
    "https://visio.example.org/prive-123",
    "editeur-secret",
    "editeur@example.org",
    "Centre non publié",
    "RCP non publiée",
    "Essai non publié",
    "NOTE-DE-RELECTURE",
    "cle-du-registre-secrete",
    "Personne Cachée",
    "Investigateur caché",
]

CENTRE_KEYS = {
    "slug",
    "name",
    "short_name",
    "kind",
    "finess",
    "address",
    "postcode",
    "city",
    "department",
    "region",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "description",
    "referral",
    "axes",
    "services",
    "photo",
    "photo_alt",
    "is_demo",
    "last_reviewed",
    "updated_at",
    "url",
    "feed",
    "distance_km",
}
RCP_KEYS = {
    "slug",
    "name",
    "scope",
    "mode",
    "axes",
    "organiser",
    "participants",
    "description",
    "place",
    "video_url",
    "submission",
    "rrule",
    "first_date",
    "start_time",
    "duration_minutes",
    "timezone",
    "deadline_days_before",
    "deadline_time",
    "deadline_skips_weekend",
    "meets_on_holidays",
    "holiday_calendar",
    "coordinator",
    "secretary",
    "secretariat_phone",
    "secretariat_email",
    "secretariat_mssante",
    "next_session",
    "upcoming",
    "case_form",
    "feed",
    "is_demo",
    "last_reviewed",
    "updated_at",
    "url",
    "distance_km",
}
TRIAL_KEYS = {
    "id",
    "plain_title",
    "brief_title",
    "official_title",
    "acronym",
    "nct_number",
    "eu_ct_number",
    "eudract_number",
    "study_type",
    "phase",
    "status",
    "setting",
    "axes",
    "conditions",
    "interventions",
    "sponsor",
    "sponsor_type",
    "plain_summary",
    "key_eligibility",
    "sex",
    "min_age",
    "max_age",
    "enrollment",
    "start_date",
    "primary_completion_date",
    "registry_updated",
    "source",
    "last_imported_at",
    "contact_name",
    "contact_phone",
    "contact_email",
    "sites",
    "registry_url",
    "is_demo",
    "last_reviewed",
    "updated_at",
    "url",
    "distance_km",
}
SITE_KEYS = {
    "centre",
    "facility_name",
    "facility_city",
    "status",
    "investigator",
    "contact_name",
    "contact_phone",
    "contact_email",
}
PERSON_KEYS = {
    "id",
    "title",
    "first_name",
    "last_name",
    "specialty",
    "email",
    "phone",
    "roles",
    "is_demo",
    "last_reviewed",
    "updated_at",
}
ROLE_KEYS = {"kind", "centre", "axis", "label"}
NEVER = {
    "is_published",
    "editors",
    "search_text",
    "review_note",
    "needs_review",
    "registry_key",
    "weekdays",
    "video_url_is_public",
    "history",
    "password",
    "user",
}


@pytest.fixture
def world(axes):
    editor = User.objects.create_user("editeur-secret", "editeur@example.org", is_staff=True)
    shown = factories.make_centre(name="Centre publié", axes=[axes["pancreas"]], is_demo=True)
    shown.editors.add(editor)
    hidden = factories.make_centre(name="Centre non publié", is_published=False)
    hidden_person = factories.make_person(first_name="Personne", last_name="Cachée")
    factories.make_role(hidden_person, centre=hidden)
    person = factories.make_person(last_name="Publique")
    factories.make_role(person, centre=shown)
    rcp = make_rcp(
        organiser=shown,
        participants=[shown, hidden],
        video_url="https://visio.example.org/prive-123",
        video_url_is_public=False,
        coordinator=person,
        first_date=date(2026, 1, 6),
    )
    make_rcp(name="RCP non publiée", organiser=shown, is_published=False, coordinator=hidden_person)
    trial = make_trial(needs_review=True, review_note="NOTE-DE-RELECTURE")
    make_site(trial, shown, registry_key="cle-du-registre-secrete", source="registry")
    make_site(trial, hidden, investigator="Investigateur caché")
    make_trial(plain_title="Essai non publié", is_published=False)
    return {"centre": shown, "rcp": rcp, "trial": trial, "person": person}


def _walk_keys(value, found):
    if isinstance(value, dict):
        found.update(value)
        for item in value.values():
            _walk_keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk_keys(item, found)


def test_every_answer_holds_only_published_fields_and_values(client, world):
    urls = [
        "/api/",
        "/api/axes/",
        "/api/regions/",
        "/api/departements/",
        "/api/centres/",
        f"/api/centres/{world['centre'].slug}/",
        "/api/personnes/",
        "/api/rcp/",
        f"/api/rcp/{world['rcp'].slug}/",
        "/api/essais/",
        f"/api/essais/{world['trial'].pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        leaked = [s for s in SECRETS if s in text or json.dumps(s)[1:-1] in text]
        assert not leaked, f"{url} shows {leaked}"
        keys = set()
        _walk_keys(json.loads(text), keys)
        assert not keys & NEVER, f"{url}: {keys & NEVER}"


def test_each_kind_of_object_has_exactly_its_published_fields(client, world):
    centre = client.get(f"/api/centres/{world['centre'].slug}/").json()
    assert set(centre) == CENTRE_KEYS
    assert centre["is_demo"] is True  # a flag the site shows too
    rcp = client.get(f"/api/rcp/{world['rcp'].slug}/").json()
    assert set(rcp) == RCP_KEYS
    assert rcp["video_url"] is None
    assert rcp["participants"] == [world["centre"].slug]
    assert set(rcp["coordinator"]) == {"id", "name", "specialty"}
    trial = client.get(f"/api/essais/{world['trial'].pk}/").json()
    assert set(trial) == TRIAL_KEYS
    # The site at the unpublished centre: the same keys, by its city only (issue 12).
    assert [set(site) for site in trial["sites"]] == [SITE_KEYS, SITE_KEYS]
    assert [site["centre"] for site in trial["sites"]] == [world["centre"].slug, None]
    people = client.get("/api/personnes/").json()["results"]
    assert [p["last_name"] for p in people] == ["Publique"]
    assert set(people[0]) == PERSON_KEYS
    assert all(set(role) == ROLE_KEYS for role in people[0]["roles"])


def test_a_video_link_marked_public_is_given(client, world):
    rcp = world["rcp"]
    rcp.video_url_is_public = True
    rcp.save()
    body = client.get(f"/api/rcp/{rcp.slug}/").json()
    assert body["video_url"] == "https://visio.example.org/prive-123"
