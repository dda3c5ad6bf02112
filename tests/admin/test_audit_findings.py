"""The audit of the back-office (issue 12, point 1): coordinator A against centre B.

Each test reproduces one finding; it failed before the fix it names.
"""

import io

import pytest
from axes.models import AccessAttempt
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from centres.models import Person, Role
from trials.models import TrialSite

from .conftest import NOW

pytestmark = [pytest.mark.time_machine(NOW, tick=False), pytest.mark.django_db]


def admin_url(obj, view="change"):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


# --- 1. Trial sites: no draft trial, no registry source, no review note --------------


def site_post(world, trial, **extra):
    data = {
        "trial": str(trial.pk),
        "centre": str(world.a.centre.pk),
        "facility_name": "Centre A",
        "facility_city": "Brest",
        "facility_country": "France",
        "status": "RECRUITING",
        "source": "manual",
    }
    data.update(extra)
    return data


def test_editor_cannot_attach_their_centre_to_another_centres_draft_trial(as_a, world):
    response = as_a.post(add_url(TrialSite), site_post(world, world.b.trial))
    assert response.status_code == 200
    assert "trial" in form_errors(response)
    assert not TrialSite.objects.filter(trial=world.b.trial, centre=world.a.centre).exists()
    # ... and the draft stays out of reach, its note unread.
    assert as_a.get(admin_url(world.b.trial)).status_code == 404


def test_editor_may_add_a_site_to_a_published_trial_as_manual_data_only(as_a, world):
    response = as_a.post(
        add_url(TrialSite), site_post(world, world.published_trial, source="registry")
    )
    assert response.status_code == 302, form_errors(response)
    site = TrialSite.objects.get(trial=world.published_trial, centre=world.a.centre)
    assert site.source == TrialSite.Source.MANUAL


def test_trial_autocomplete_of_a_site_offers_published_and_own_trials_only(as_a, world):
    response = as_a.get(
        reverse("admin:autocomplete"),
        {"app_label": "trials", "model_name": "trialsite", "field_name": "trial", "term": ""},
    )
    offered = {int(r["id"]) for r in response.json()["results"]}
    assert offered == {world.a.trial.pk, world.published_trial.pk}


def test_editor_never_reads_a_trials_review_note(as_a, world):
    page = as_a.get(admin_url(world.a.trial))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Essai brouillon a" in text
    assert "Note interne a" not in text and "changements à revoir" not in text


def test_pilot_reads_the_review_note(as_pilot, world):
    assert "Note interne b" in as_pilot.get(admin_url(world.b.trial)).content.decode()


# --- 2. Roles only for one's own people ------------------------------------------------


def test_editor_cannot_give_a_role_at_their_centre_to_another_centres_person(as_a, world):
    response = as_a.post(
        add_url(Role),
        {"person": world.b.person.pk, "kind": "secretary", "centre": world.a.centre.pk, "order": 0},
    )
    assert response.status_code == 200
    assert "person" in form_errors(response)
    assert list(world.b.person.roles.values_list("centre", flat=True)) == [world.b.centre.pk]


def test_editor_of_b_still_edits_their_staff_member(client, world):
    client.force_login(world.b.editor)
    assert client.get(admin_url(world.b.person)).status_code == 200


def test_person_autocomplete_of_a_role_offers_own_people_only(as_a, world):
    response = as_a.get(
        reverse("admin:autocomplete"),
        {"app_label": "centres", "model_name": "role", "field_name": "person", "term": "Soignant"},
    )
    assert [int(r["id"]) for r in response.json()["results"]] == [world.a.person.pk]


# --- 3. « Voir sur le site » only for objects one may change ---------------------------


def shortcut(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[ct.pk, obj.pk])


def test_view_on_site_shortcut_hides_another_centres_unpublished_rcp(as_a, world):
    assert as_a.get(shortcut(world.b.rcp)).status_code == 404


def test_view_on_site_shortcut_leads_to_ones_own_rcp(as_a, world):
    response = as_a.get(shortcut(world.a.rcp))
    assert response.status_code == 302
    assert response["Location"].endswith(world.a.rcp.get_absolute_url())


# --- 4. The trials' centre filter ---------------------------------------------------------


def test_trial_centre_filter_lists_the_editors_centres_only(as_a, world):
    from tests.trials.factories import make_site

    make_site(world.a.trial, world.b.centre)  # a trial shared by A and B
    page = as_a.get(reverse("admin:trials_trial_changelist")).content.decode()
    assert "Centre a" in page
    assert "Centre b" not in page


# --- 5. Login lockouts for the pilot centre --------------------------------------------------


def test_pilot_staff_see_and_lift_a_lockout(as_pilot, world):
    attempt = AccessAttempt.objects.create(
        username="editeur-b",
        ip_address="192.0.2.10",
        failures_since_start=5,
        user_agent="",
        http_accept="",
        path_info="/admin/login/",
        get_data="",
        post_data="",
    )
    page = as_pilot.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and "editeur-b" in page.content.decode()
    response = as_pilot.post(admin_url(attempt, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_centre_editors_cannot_see_lockouts(as_a, world):
    assert as_a.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


# --- 6. Replaced photos leave no public file behind ---------------------------------------


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "navy").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def person_post(person, photo=None, **extra):
    data = {
        "title": person.title,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "specialty": "",
        "email": "",
        "phone": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    if photo is not None:
        data["photo"] = SimpleUploadedFile("claude-soignant.jpg", photo, content_type="image/jpeg")
    data.update(extra)
    return data


def test_replaced_photo_is_deleted_and_names_are_unguessable(
    as_pilot, world, media, django_capture_on_commit_callbacks
):
    person = world.a.person
    with django_capture_on_commit_callbacks(execute=True):
        assert as_pilot.post(admin_url(person), person_post(person, jpeg())).status_code == 302
    person.refresh_from_db()
    first = person.photo.name
    assert (media / first).exists()
    assert "claude" not in first and "soignant" not in first
    assert len(first.rsplit("/", 1)[1]) >= 32  # a random name, not the upload's

    with django_capture_on_commit_callbacks(execute=True):
        assert as_pilot.post(admin_url(person), person_post(person, jpeg())).status_code == 302
    person.refresh_from_db()
    assert person.photo.name != first
    assert not (media / first).exists()
    assert (media / person.photo.name).exists()


def test_deleted_person_takes_their_photo_along(
    as_pilot, world, media, django_capture_on_commit_callbacks
):
    person = world.a.person
    with django_capture_on_commit_callbacks(execute=True):
        as_pilot.post(admin_url(person), person_post(person, jpeg()))
    person.refresh_from_db()
    stored = media / person.photo.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert as_pilot.post(admin_url(person, "delete"), {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not stored.exists()


def test_cleared_centre_photo_is_deleted(
    as_pilot, world, media, django_capture_on_commit_callbacks
):
    centre = world.a.centre
    centre.photo.save("x.jpg", SimpleUploadedFile("x.jpg", jpeg()), save=True)
    stored = media / centre.photo.name
    assert stored.exists()
    from tests.centres.test_admin import change_form_data

    data = change_form_data(as_pilot.get(admin_url(centre)))
    data["photo-clear"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_pilot.post(admin_url(centre), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    centre.refresh_from_db()
    assert not centre.photo
    assert not stored.exists()


def test_trial_history_pages_keep_the_review_note_from_editors(as_a, world):
    trial = world.a.trial
    trial.review_note = "Note interne a, relue"
    trial.save()
    history = as_a.get(admin_url(trial, "history"))
    assert history.status_code == 200
    assert "Note interne" not in history.content.decode()
    version = trial.history.order_by("history_id").first()
    old = as_a.get(
        reverse("admin:trials_trial_simple_history", args=[trial.pk, version.history_id])
    )
    assert old.status_code == 200
    assert "Note interne" not in old.content.decode()


def test_a_person_the_editor_created_stays_theirs_without_a_role(as_a, world):
    url = add_url(Person)
    response = as_a.post(
        url,
        {
            **person_post(Person(title="dr", first_name="Nina", last_name="Nouvelle")),
            "roles-TOTAL_FORMS": "1",
            "roles-MIN_NUM_FORMS": "1",
            "roles-0-kind": "nurse",
            "roles-0-centre": str(world.a.centre.pk),
            "roles-0-order": "0",
        },
    )
    assert response.status_code == 302, form_errors(response)
    nina = Person.objects.get(last_name="Nouvelle")
    nina.roles.all().delete()  # the role ends; the person is still the one A created
    response = as_a.post(
        add_url(Role),
        {"person": nina.pk, "kind": "secretary", "centre": world.a.centre.pk, "order": 0},
    )
    assert response.status_code == 302
    assert list(nina.roles.values_list("centre", flat=True)) == [world.a.centre.pk]


def test_view_on_site_shortcut_serves_the_pilot_and_refuses_unknown_types(as_pilot, world):
    response = as_pilot.get(shortcut(world.b.rcp))
    assert response.status_code == 302
    assert response["Location"].endswith(world.b.rcp.get_absolute_url())
    assert as_pilot.get(reverse("admin:view_on_site", args=[999999, 1])).status_code == 404
    unknown_row = reverse("admin:view_on_site", args=[shortcut_type(world.b.rcp), 999999])
    assert as_pilot.get(unknown_row).status_code == 404


def shortcut_type(obj):
    return ContentType.objects.get_for_model(obj).pk
