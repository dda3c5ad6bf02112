"""The admin's rights, model by model: what a centre's editor may reach, proven for
every model registered in the admin (issue 12, point 1).

Each registered model is either pilot-only (the pilot centre's staff run it; a
centre's editor may at most read it) or centre-scoped (each centre's editor
keeps their own rows, never another centre's). A model registered later and
listed in neither fails `test_every_registered_model_is_classified`.

The world (centres A and B, each with an editor, and the pilot centre's staff)
is built once for the module; each test runs in a savepoint that is rolled
back, so what one test changes, the next does not see.
"""

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from centres.admin_history import TrashAdminMixin
from centres.models import Centre, CentreAxis, Person, Role
from content.models import Document, NewsItem
from rcp.models import Rcp, RcpActivity
from search.models import MissedSearch
from tests import factories
from tests.centres.test_admin import change_form_data
from tests.db_snapshot import differences, snapshot
from tests.trials.factories import make_site
from trials.models import FacilityAlias, Trial, TrialSite, UnmatchedSite

from .conftest import NOW, build_world

pytestmark = [
    pytest.mark.time_machine(NOW, tick=False),
    # The world is built once, network facts included: no per-test clean-up of them.
    pytest.mark.network_facts,
    pytest.mark.django_db,
]

# Models of the pilot centre alone: a centre's editor adds, changes and deletes none.
PILOT_ONLY = {
    "auth.User",
    "auth.Group",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
    "centres.Axis",
    "centres.Service",
    "centres.Region",
    "centres.Department",
    "rcp.QuorumRule",
    "rcp.AxisCaseGuide",
    "trials.UnmatchedSite",
    "trials.FacilityAlias",
    "trials.GlossaryTerm",
    "content.NewsItem",
    "content.Document",
    "content.Page",
    "search.MissedSearch",
}

# Models whose rows belong to a centre: the attribute of a side of the world
# that holds its row, and whether a centre's editor may add one.
CENTRE_SCOPED = {
    "centres.Centre": ("centre", False),  # a new centre is the network's decision
    "centres.CentreAxis": ("centre_axis", True),
    "centres.Person": ("person", True),
    "centres.Role": ("role", True),
    "rcp.Rcp": ("rcp", True),
    "rcp.RcpActivity": ("activity", True),
    "trials.Trial": ("trial", False),  # shared by its centres: the network's
    "trials.TrialSite": ("site", True),
}

MODELS = {model._meta.label: model for model in admin.site._registry}


def url_name(model, view):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


def url(model, view, *args):
    return reverse(url_name(model, view), args=args)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once, in a transaction rolled back when the module is done."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            built = build_world(get_user_model(), factories.axes())
            _pilot_only_rows(built)
            yield built
            transaction.set_rollback(True)


def _pilot_only_rows(world):
    """At least one row of each pilot-only model, for the editor to try."""
    factories.make_service()
    login = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/admin/login/"}
    # Another address and name than the tests' logins (a login resets their attempts).
    where = {"username": "inconnu", "ip_address": "198.51.100.9"}
    AccessAttempt.objects.create(failures_since_start=5, **where, **login)
    AccessLog.objects.create(**where, **login)
    AccessFailureLog.objects.create(locked_out=True, **where, **login)
    make_site(world.published_trial, None, facility_name="Clinique hors réseau")
    FacilityAlias.objects.create(facility_name="Hôpital B", facility_city="Paris")
    NewsItem.objects.create(
        title="Actualité",
        slug="actualite",
        summary="Résumé.",
        published_on=NOW.date(),
    )
    document = Document(title="Fiche", slug="fiche", category=Document.Category.REFERRAL)
    document.file.save("fiche.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    MissedSearch.objects.create(words="zebulon", count=1)
    # A second factor of someone who does not log in here (a device is then asked).
    owner = get_user_model().objects.create_user("equipe-otp", is_staff=True)
    TOTPDevice.objects.create(user=owner, name="Application")
    StaticDevice.objects.create(user=owner, name="Codes de secours")


@pytest.fixture
def as_a(client, world):
    client.force_login(world.a.editor)
    return client


@pytest.fixture
def as_pilot(client, world):
    client.force_login(world.pilot)
    return client


def pilot_only_row(model):
    rows = model._default_manager.order_by("pk")
    if model is UnmatchedSite:
        rows = rows.filter(centre__isnull=True)
    row = rows.first()
    assert row is not None, f"{model._meta.label}: the world has no row of it"
    return row


def listed(response) -> set:
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


# --- Every model is in the matrix ------------------------------------------------------


def test_every_registered_model_is_classified():
    labels = set(MODELS)
    assert not PILOT_ONLY & CENTRE_SCOPED.keys()
    unclassified = labels - PILOT_ONLY - CENTRE_SCOPED.keys()
    assert not unclassified, f"say whether these are pilot-only or centre-scoped: {unclassified}"
    assert not (PILOT_ONLY | CENTRE_SCOPED.keys()) - labels, "listed but not registered"


# --- Pilot-only models ----------------------------------------------------------------


@pytest.mark.parametrize("label", sorted(PILOT_ONLY))
def test_editor_adds_changes_and_deletes_no_pilot_only_row(as_a, world, label):
    model = MODELS[label]
    row = pilot_only_row(model)
    before = snapshot()  # the domain apps' tables
    stored = model._default_manager.filter(pk=row.pk).values().get()  # the row, in any app
    count = model._default_manager.count()
    assert as_a.get(url(model, "add")).status_code == 403
    assert as_a.post(url(model, "add"), {}).status_code == 403
    assert as_a.post(url(model, "change", row.pk), {"_save": "1"}).status_code in (403, 404)
    assert as_a.post(url(model, "delete", row.pk), {"post": "yes"}).status_code in (403, 404)
    bulk = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [row.pk], "post": "yes"}
    # Refused, or the list again (the action is not offered): nothing deleted.
    assert as_a.post(url(model, "changelist"), bulk).status_code in (200, 302, 403)
    assert not differences(before, snapshot())
    assert model._default_manager.filter(pk=row.pk).values().get() == stored
    assert model._default_manager.count() == count


@pytest.mark.parametrize("label", sorted(PILOT_ONLY - {"auth.User", "auth.Group"}))
def test_pilot_staff_open_every_pilot_only_model(as_pilot, world, label):
    model = MODELS[label]
    assert as_pilot.get(url(model, "changelist")).status_code == 200
    assert as_pilot.get(url(model, "change", pilot_only_row(model).pk)).status_code == 200


# --- Centre-scoped models -----------------------------------------------------------


def rows(world, label):
    attribute, _may_add = CENTRE_SCOPED[label]
    return getattr(world.a, attribute), getattr(world.b, attribute)


@pytest.mark.parametrize("label", sorted(CENTRE_SCOPED))
def test_changelist_shows_the_editor_their_rows_only(as_a, world, label):
    own, other = rows(world, label)
    shown = listed(as_a.get(url(MODELS[label], "changelist")))
    assert own.pk in shown
    assert other.pk not in shown


@pytest.mark.parametrize("label", sorted(CENTRE_SCOPED))
def test_pilot_staff_list_and_open_every_centres_rows(as_pilot, world, label):
    own, other = rows(world, label)
    assert {own.pk, other.pk} <= listed(as_pilot.get(url(MODELS[label], "changelist")))
    assert as_pilot.get(url(MODELS[label], "change", other.pk)).status_code == 200


@pytest.mark.parametrize("label", sorted(CENTRE_SCOPED))
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_another_centres_row_is_not_found(as_a, world, label, view):
    model = MODELS[label]
    _own, other = rows(world, label)
    before = snapshot()
    assert as_a.get(url(model, view, other.pk)).status_code == 404
    assert as_a.post(url(model, view, other.pk), {"post": "yes", "_save": "1"}).status_code == 404
    assert not differences(before, snapshot())


@pytest.mark.parametrize("label", sorted(CENTRE_SCOPED))
def test_another_centres_old_versions_and_public_address_are_not_found(as_a, world, label):
    model = MODELS[label]
    own, other = rows(world, label)
    shortcut = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, other.pk]
    )
    assert as_a.get(shortcut).status_code == 404
    if hasattr(model, "history"):
        version = other.history.order_by("history_id").first()
        old = reverse(url_name(model, "simple_history"), args=[other.pk, version.history_id])
        assert as_a.get(old).status_code == 404
        own_version = own.history.order_by("history_id").first()
        mine = reverse(url_name(model, "simple_history"), args=[own.pk, own_version.history_id])
        assert as_a.get(mine).status_code == 200


@pytest.mark.parametrize("label", sorted(CENTRE_SCOPED))
def test_editor_adds_only_where_the_centre_owns_the_row(as_a, world, label):
    _attribute, may_add = CENTRE_SCOPED[label]
    assert as_a.get(url(MODELS[label], "add")).status_code == (200 if may_add else 403)


@pytest.mark.parametrize("label", sorted(CENTRE_SCOPED))
def test_bulk_delete_with_another_centres_key_deletes_nothing(as_a, world, label):
    model = MODELS[label]
    _own, other = rows(world, label)
    before = snapshot()
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [other.pk], "post": "yes"}
    assert as_a.post(url(model, "changelist"), data).status_code in (200, 302, 403)
    assert model._default_manager.filter(pk=other.pk).exists()
    assert not differences(before, snapshot())


# --- « Corbeille » (deleted rows) ---------------------------------------------------------

TRASHED = sorted(
    label
    for label, model in MODELS.items()
    if isinstance(admin.site._registry[model], TrashAdminMixin)
)


def delete_with_protected(obj) -> None:
    """Delete ``obj``, and first the rows that protect it (an RCP's activity)."""
    try:
        obj.delete()
    except ProtectedError as error:
        for row in error.protected_objects:
            delete_with_protected(row)
        obj.delete()


def deleted_row_of_b(world, label):
    model = MODELS[label]
    _own, other = rows(world, label)
    pk_name = model._meta.pk.attname
    key = getattr(other, pk_name)
    # A fresh instance: the world's is shared by the module's tests (delete() clears its key).
    delete_with_protected(model._base_manager.get(pk=key))
    return model.history.filter(**{pk_name: key}, history_type="-").latest()


TRASHED_SCOPED = [label for label in TRASHED if label in CENTRE_SCOPED]
TRASHED_PILOT_ONLY = [label for label in TRASHED if label in PILOT_ONLY]


def test_every_trash_belongs_to_a_classified_model():
    assert TRASHED_SCOPED and set(TRASHED) == {*TRASHED_SCOPED, *TRASHED_PILOT_ONLY}


@pytest.mark.parametrize("label", TRASHED_PILOT_ONLY)
def test_a_pilot_only_trash_is_closed_to_centre_editors(as_a, world, label):
    trash = url(MODELS[label], "trash")
    before = snapshot()
    assert as_a.get(trash).status_code == 403
    assert as_a.post(trash, {"history_id": "1"}).status_code == 403
    assert not differences(before, snapshot())


@pytest.mark.parametrize("label", TRASHED_SCOPED)
def test_another_centres_deleted_row_is_neither_listed_nor_restored(as_a, world, label):
    model = MODELS[label]
    deletion = deleted_row_of_b(world, label)
    before = snapshot()
    trash = url(model, "trash")
    listing = as_a.get(trash)
    assert listing.status_code in (200, 403)
    assert f'value="{deletion.history_id}"' not in listing.content.decode()
    response = as_a.post(trash, {"history_id": str(deletion.history_id)})
    assert response.status_code in (403, 404)
    assert not differences(before, snapshot())


@pytest.mark.parametrize("label", TRASHED_SCOPED)
def test_pilot_staff_see_every_centres_deleted_rows(as_pilot, world, label):
    deletion = deleted_row_of_b(world, label)
    page = as_pilot.get(url(MODELS[label], "trash")).content.decode()
    assert f'value="{deletion.history_id}"' in page


# --- Autocomplete -------------------------------------------------------------------------


def _autocomplete_fields():
    """(source model, field) of every autocomplete widget, in admins and their inlines."""
    found = set()
    for model, model_admin in admin.site._registry.items():
        found |= {(model, name) for name in model_admin.autocomplete_fields}
        for inline in model_admin.inlines:
            found |= {(inline.model, name) for name in inline.autocomplete_fields}
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1]))


def b_rows(world):
    """Another centre's rows, by model, that must never be offered to A."""
    return {
        Centre: {world.b.centre.pk},
        Person: {world.b.person.pk},
        Trial: {world.b.trial.pk},
        Rcp: {world.b.rcp.pk},
        Role: {world.b.role.pk},
        CentreAxis: {world.b.centre_axis.pk},
        TrialSite: {world.b.site.pk},
        RcpActivity: {world.b.activity.pk},
    }


@pytest.mark.parametrize(
    ("source", "field"),
    _autocomplete_fields(),
    ids=[f"{m._meta.label}.{f}" for m, f in _autocomplete_fields()],
)
def test_autocomplete_never_offers_another_centres_rows(as_a, world, source, field):
    remote = source._meta.get_field(field).related_model
    response = as_a.get(
        reverse("admin:autocomplete"),
        {
            "app_label": source._meta.app_label,
            "model_name": source._meta.model_name,
            "field_name": field,
            "term": "",
        },
    )
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        offered = {int(result["id"]) for result in response.json()["results"]}
        assert not offered & b_rows(world).get(remote, set())


# --- Foreign-key tampering --------------------------------------------------------------


def _tampering_cases():
    def payload(**fields):
        return lambda w: {k: v(w) if callable(v) else v for k, v in fields.items()}

    return [
        ("centres.CentreAxis", "centre", payload(centre=lambda w: w.b.centre.pk, axis=1)),
        (
            "centres.Role",
            "centre",
            payload(person=lambda w: w.a.person.pk, centre=lambda w: w.b.centre.pk, kind="nurse"),
        ),
        (
            "centres.Role",
            "person",
            payload(
                person=lambda w: w.b.person.pk, centre=lambda w: w.a.centre.pk, kind="secretary"
            ),
        ),
        ("rcp.Rcp", "organiser", payload(name="RCP volée", organiser=lambda w: w.b.centre.pk)),
        ("rcp.Rcp", "coordinator", payload(coordinator=lambda w: w.b.person.pk)),
        ("rcp.RcpActivity", "rcp", payload(rcp=lambda w: w.b.rcp.pk, date="2026-11-10")),
        (
            "trials.TrialSite",
            "centre",
            payload(trial=lambda w: w.a.trial.pk, centre=lambda w: w.b.centre.pk),
        ),
        (
            "trials.TrialSite",
            "trial",
            payload(trial=lambda w: w.b.trial.pk, centre=lambda w: w.a.centre.pk),
        ),
    ]


@pytest.mark.parametrize(
    ("label", "field", "payload"),
    _tampering_cases(),
    ids=[f"{label}.{field}" for label, field, _p in _tampering_cases()],
)
def test_another_centres_key_in_an_add_form_is_a_form_error(as_a, world, label, field, payload):
    model = MODELS[label]
    before = snapshot()
    response = as_a.post(url(model, "add"), payload(world))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert "Sélectionnez un choix valide" in str(errors[field])
    assert not differences(before, snapshot())


def test_another_centres_centre_in_a_change_form_is_a_form_error(as_a, world):
    link = world.a.centre_axis
    data = change_form_data(as_a.get(url(CentreAxis, "change", link.pk)))
    data["centre"] = str(world.b.centre.pk)
    before = snapshot()
    response = as_a.post(url(CentreAxis, "change", link.pk), data)
    assert response.status_code == 200
    assert "centre" in response.context["adminform"].form.errors
    assert not differences(before, snapshot())


# --- Inline forms -----------------------------------------------------------------------


def _inline_post(client, change, prefix, row):
    """The change page as a browser sends it, plus one new inline row."""
    data = change_form_data(client.get(change))
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({f"{prefix}-{total}-{key}": str(value) for key, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    return client.post(change, data)


def inline_errors(response) -> list:
    assert response.status_code == 200
    return [
        form.errors
        for inline in response.context["inline_admin_formsets"]
        for form in inline.formset.forms
        if form.errors
    ]


def test_role_inline_of_a_centre_refuses_another_centres_person(as_a, world):
    change = url(Centre, "change", world.a.centre.pk)
    before = snapshot()
    response = _inline_post(
        as_a, change, "roles", {"person": world.b.person.pk, "kind": "nurse", "order": 0}
    )
    assert [list(errors) for errors in inline_errors(response)] == [["person"]]
    assert not differences(before, snapshot())


def test_role_inline_of_a_person_refuses_another_centre(as_a, world):
    change = url(Person, "change", world.a.person.pk)
    before = snapshot()
    response = _inline_post(
        as_a, change, "roles", {"centre": world.b.centre.pk, "kind": "nurse", "order": 0}
    )
    assert [list(errors) for errors in inline_errors(response)] == [["centre"]]
    assert not differences(before, snapshot())


def test_member_inline_of_an_rcp_refuses_another_centres_person(as_a, world):
    change = url(Rcp, "change", world.a.rcp.pk)
    before = snapshot()
    response = _inline_post(
        as_a, change, "members", {"person": world.b.person.pk, "specialty": "surgery", "order": 0}
    )
    assert [list(errors) for errors in inline_errors(response)] == [["person"]]
    assert not differences(before, snapshot())


def test_editor_cannot_publish_a_new_centre(as_a, world):
    centre = world.a.centre
    centre.is_published = False
    centre.save()
    data = change_form_data(as_a.get(url(Centre, "change", centre.pk)))
    data["is_published"] = "on"
    response = as_a.post(url(Centre, "change", centre.pk), data)
    assert response.status_code == 302
    centre.refresh_from_db()
    assert not centre.is_published
