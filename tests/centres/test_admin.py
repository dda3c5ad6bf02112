"""The centres back-office: every page renders, search and filters, edits
through the change form with its inlines, history, and least privilege
(a centre's coordinators keep their own centre; the pilot centre runs all)."""

import datetime
import json
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from django.urls import reverse

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from centres.models import Axis, Centre, CentreAxis, Department, Person, Region, Role, Service
from tests.factories import make_centre, make_person, make_role, make_service
from tests.html_forms import as_post_data, submitted_entries

PARIS = ZoneInfo("Europe/Paris")
# The back office on Tuesday 24 November 2026 at 10:15: « relu aujourd’hui » and the
# review filters (« relu dans l’année ») count from that day.
NOW = datetime.datetime(2026, 11, 24, 10, 15, tzinfo=PARIS)
TODAY = NOW.date()
pytestmark = pytest.mark.time_machine(NOW, tick=False)

# --- Helpers ----------------------------------------------------------------------


def change_form_data(response) -> dict:
    """The POST data a browser would send back for an admin add/change page,
    main form and inline formsets (with their management forms) included."""
    data = {}

    def add(form, prefix=None):
        for name in form.fields:
            key = f"{prefix}-{name}" if prefix else name
            value = form[name].value()
            if isinstance(value, FieldFile) or value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
            else:
                data[key] = str(value.pk if hasattr(value, "pk") else value)

    context = response.context
    add(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        add(formset.management_form, formset.prefix)
        for form in formset.forms:
            add(form, form.prefix)
    return data


def change_url(obj) -> str:
    return reverse(f"admin:centres_{obj._meta.model_name}_change", args=[obj.pk])


def staff(django_user_model, username, group=None, centres=()):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", None)
    user.is_staff = True
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.editors.add(user)
    return user


# --- Fixtures ---------------------------------------------------------------------


@pytest.fixture
def network(axes):
    """Two centres with an axis, a service and a referent each, and a network role."""
    service = make_service(name="Écho-endoscopie test", slug="echo-test")
    a = make_centre(
        name="CHU de Brest",
        short_name="CHU de Brest",
        slug="chu-brest",
        kind=Centre.Kind.PILOT,
        axes=[axes["oesophage"]],
        services=[service],
        last_reviewed=datetime.date(2024, 1, 15),
    )
    b = make_centre(
        name="Hôpital de la Pitié-Salpêtrière",
        short_name="Pitié-Salpêtrière",
        slug="pitie",
        city="Paris",
        postcode="75013",
        department_code="75",
        latitude=48.84,
        longitude=2.36,
        axes=[axes["pancreas"]],
        is_demo=True,
    )
    person_a = make_person(first_name="Anne", last_name="Lebreton")
    person_b = make_person(first_name="Paul", last_name="Parisien")
    role_a = make_role(person_a, centre=a, kind=Role.Kind.CENTRE_REFERENT)
    role_b = make_role(person_b, centre=b, kind=Role.Kind.SECRETARY)
    national = make_role(person_a, centre=a, kind=Role.Kind.NATIONAL_COORDINATOR)
    return {
        "a": a,
        "b": b,
        "service": service,
        "person_a": person_a,
        "person_b": person_b,
        "role_a": role_a,
        "role_b": role_b,
        "national": national,
    }


@pytest.fixture
def coordinator(client, django_user_model, network):
    """A logged-in member of « Coordination de centre », editor of centre A only."""
    user = staff(django_user_model, "coord-a", CENTRE_GROUP, [network["a"]])
    client.force_login(user)
    return client


@pytest.fixture
def pilot(client, django_user_model, network):
    """A logged-in member of « Pilotage du réseau » (editor of no centre)."""
    user = staff(django_user_model, "pilote", NETWORK_GROUP)
    client.force_login(user)
    return client


# --- Every page renders for a superuser -----------------------------------------------

COLUMNS = {
    Centre: ["Nom", "Type", "Commune", "Axes", "Publié", "Démonstration", "Dernière relecture"],
    CentreAxis: ["Centre", "Axe", "Téléphone dédié", "Précisions"],
    Person: ["Nom", "Spécialité", "Centres", "Démonstration", "Dernière relecture"],
    Role: ["Personne", "Rôle", "Centre", "Axe", "Précision"],
    Axis: ["Nom", "Centre référent", "Couleur", "Centres", "Dernière relecture"],
    Service: ["Nom", "Identifiant d’URL", "Ordre", "Centres"],
    Region: ["Nom", "Code INSEE", "Outre-mer", "Départements"],
    Department: ["Code", "Nom", "Région", "Centres"],
}


def _instance(model, network):
    return {
        Centre: network["a"],
        CentreAxis: CentreAxis.objects.filter(centre=network["a"]).first(),
        Person: network["person_a"],
        Role: network["role_a"],
        Axis: Axis.objects.first(),
        Service: network["service"],
        Region: Region.objects.get(code="53"),
        Department: Department.objects.get(code="29"),
    }[model]


@pytest.mark.parametrize("model", list(COLUMNS), ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_render_with_french_columns(admin_client, network, model):
    name = model._meta.model_name
    changelist = admin_client.get(reverse(f"admin:centres_{name}_changelist"))
    assert changelist.status_code == 200
    html = changelist.content.decode()
    for column in COLUMNS[model]:
        assert f">{column}<" in html or f">{column}</a>" in html, column
    assert admin_client.get(reverse(f"admin:centres_{name}_add")).status_code == 200
    obj = _instance(model, network)
    assert admin_client.get(change_url(obj)).status_code == 200


def test_admin_index_lists_every_model_of_the_app(admin_client, db):
    html = admin_client.get(reverse("admin:index")).content.decode()
    for model in COLUMNS:
        assert reverse(f"admin:centres_{model._meta.model_name}_changelist") in html


def test_centre_change_page_has_french_fieldsets_inlines_and_view_on_site(admin_client, network):
    html = admin_client.get(change_url(network["a"])).content.decode()
    for legend in (
        "Identité",
        "Adresse et coordonnées",
        "Contacts",
        "Présentation et adressage",
        "Axes et services",
        "Publication",
    ):
        assert legend in html
    assert "Axes du centre" in html
    assert "Services spécialisés du centre" in html
    assert "Rôles dans le centre" in html
    assert 'href="/centres/chu-brest/"' in html and "viewsitelink" in html
    # The current axes and services, summarised in their fieldset.
    assert "Œsophage et jonction œso-gastrique" in html and "Écho-endoscopie test" in html


def test_unpublished_centre_has_no_view_on_site_link(admin_client, network):
    network["b"].is_published = False
    network["b"].save()
    html = admin_client.get(change_url(network["b"])).content.decode()
    assert "viewsitelink" not in html
    listing = admin_client.get(reverse("admin:centres_centre_changelist")).content.decode()
    assert "non publié" in listing


def test_person_change_page_shows_roles_inline(admin_client, network):
    html = admin_client.get(change_url(network["person_a"])).content.decode()
    assert "Référent du centre" in html and "Coordination nationale" in html


# --- Search and filters -------------------------------------------------------------


def _listed(response) -> set[str]:
    return {str(c) for c in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Brest"}, {"CHU de Brest"}),
        ({"q": "pitie"}, {"Pitié-Salpêtrière"}),  # accent-blind
        ({"q": "pancreas"}, {"Pitié-Salpêtrière"}),  # an axis
        ({"q": "Paris"}, {"Pitié-Salpêtrière"}),  # a department
        ({"kind": "pilot"}, {"CHU de Brest"}),
        ({"is_demo__exact": "1"}, {"Pitié-Salpêtrière"}),
        ({"relecture": "jamais"}, {"Pitié-Salpêtrière"}),
        ({"relecture": "ancienne"}, {"CHU de Brest"}),
        ({}, {"CHU de Brest", "Pitié-Salpêtrière"}),
    ],
)
def test_centre_changelist_search_and_filters(admin_client, network, params, expected):
    response = admin_client.get(reverse("admin:centres_centre_changelist"), params)
    assert response.status_code == 200
    assert _listed(response) == expected


def test_centre_changelist_filters_by_axis_and_service(admin_client, network, axes):
    url = reverse("admin:centres_centre_changelist")
    by_axis = admin_client.get(url, {"axes__id__exact": axes["pancreas"].pk})
    assert _listed(by_axis) == {"Pitié-Salpêtrière"}
    by_service = admin_client.get(url, {"services__id__exact": network["service"].pk})
    assert _listed(by_service) == {"CHU de Brest"}


@pytest.mark.parametrize(
    "params",
    [{"q": "Brest\x00"}, {"q": "x" * 10_000}, {"kind": "\x00"}, {"relecture": "\x00"}],
    ids=["nul-search", "long-search", "nul-filter", "nul-custom-filter"],
)
def test_hostile_changelist_parameters_get_a_400_never_a_500(admin_client, network, params):
    response = admin_client.get(reverse("admin:centres_centre_changelist"), params)
    assert response.status_code == 400


@pytest.mark.parametrize("selected", ["abc", "\x00", "1.5", "9" * 30])
def test_hostile_action_selection_gets_a_400_never_a_500(admin_client, network, selected):
    response = admin_client.post(
        reverse("admin:centres_centre_changelist"),
        {"action": "mark_reviewed", "_selected_action": [selected]},
    )
    assert response.status_code == 400
    assert not Centre.objects.filter(last_reviewed=TODAY).exists()


def test_unknown_filter_values_show_the_list_again(admin_client, network):
    url = reverse("admin:centres_centre_changelist")
    for params in ({"kind": "martian"}, {"axes__id__exact": "abc"}, {"p": "99999"}):
        assert admin_client.get(url, params).status_code in (200, 302)


def test_centre_changelist_query_count_does_not_grow_with_centres(
    admin_client, network, django_assert_max_num_queries, axes
):
    """Axes are prefetched and departments joined: no query per listed centre."""
    url = reverse("admin:centres_centre_changelist")
    with django_assert_max_num_queries(14):
        assert admin_client.get(url).status_code == 200
    for n in range(20):
        make_centre(slug=f"extra-{n}", axes=[axes["foie-voies-biliaires"]])
    with django_assert_max_num_queries(14):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 22


def test_person_changelist_query_count_does_not_grow_with_people(
    admin_client, network, django_assert_max_num_queries
):
    url = reverse("admin:centres_person_changelist")
    with django_assert_max_num_queries(12):
        admin_client.get(url)
    for n in range(20):
        make_role(make_person(last_name=f"Extra{n}"), centre=network["b"])
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert "Pitié-Salpêtrière" in response.content.decode()


# --- Editing through the change form ---------------------------------------------------


def test_editing_the_phone_through_the_change_form_is_stored_and_in_the_history(
    admin_client, admin_user, network
):
    centre = network["a"]
    before = centre.history.count()
    page = admin_client.get(change_url(centre))
    data = change_form_data(page)
    data["phone"] = "+33 2 98 00 11 22"
    response = admin_client.post(change_url(centre), data)
    assert response.status_code == 302, response.context["errors"]
    centre.refresh_from_db()
    assert centre.phone == "02 98 00 11 22"
    assert centre.history.count() == before + 1
    latest = centre.history.latest()
    assert latest.history_user == admin_user and latest.phone == "02 98 00 11 22"


def test_inlines_add_an_axis_with_a_dedicated_phone_a_service_and_a_role(
    admin_client, network, axes
):
    centre = network["a"]
    service = make_service(name="Oncogénétique test", slug="oncogen-test")
    person = make_person(first_name="Léa", last_name="Nouvelle")
    data = change_form_data(admin_client.get(change_url(centre)))
    n = int(data["axis_links-TOTAL_FORMS"])
    data[f"axis_links-{n}-axis"] = str(axes["pancreas"].pk)
    data[f"axis_links-{n}-phone"] = "0298000001"
    data[f"axis_links-{n}-details"] = "Consultation dédiée le mardi."
    data["axis_links-TOTAL_FORMS"] = str(n + 1)
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "services" in k)[:-12]
    m = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-{m}-service"] = str(service.pk)
    data[f"{prefix}-TOTAL_FORMS"] = str(m + 1)
    r = int(data["roles-TOTAL_FORMS"])
    data[f"roles-{r}-person"] = str(person.pk)
    data[f"roles-{r}-kind"] = Role.Kind.SECRETARY
    data[f"roles-{r}-order"] = "0"
    data["roles-TOTAL_FORMS"] = str(r + 1)
    response = admin_client.post(change_url(centre), data)
    assert response.status_code == 302, response.context["errors"]
    link = CentreAxis.objects.get(centre=centre, axis=axes["pancreas"])
    assert link.phone == "02 98 00 00 01"
    assert set(centre.services.all()) == {network["service"], service}
    assert Role.objects.filter(centre=centre, person=person, kind="secretary").exists()


def test_mark_as_reviewed_today_sets_the_date_and_records_history(admin_client, network):
    centre = network["b"]
    before = centre.history.count()
    response = admin_client.post(
        reverse("admin:centres_centre_changelist"),
        {"action": "mark_reviewed", "_selected_action": [centre.pk]},
    )
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.last_reviewed == TODAY
    assert centre.history.count() == before + 1


def history_rows(response) -> list[str]:
    """The rows of an admin history table, as text, newest first."""
    html = response.content.decode()
    start = html.index("<tbody>", html.index('id="change-history"'))
    rows = re.findall(r"<tr>(.*?)</tr>", html[start : html.index("</tbody>", start)], flags=re.S)
    texts = (unescape(re.sub(r"<[^>]+>", " ", row)) for row in rows)
    return [re.sub(r"\s+", " ", text).strip() for text in texts]


def test_centre_history_page_lists_changes(admin_client, network, time_machine):
    centre = network["a"]  # created on NOW, by no one (a factory)
    # 25 minutes later (a staff session ends after 30 idle minutes).
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 40, tzinfo=PARIS), tick=False)
    data = change_form_data(admin_client.get(change_url(centre)))
    data["phone"] = "02 98 00 11 22"
    assert admin_client.post(change_url(centre), data).status_code == 302

    response = admin_client.get(reverse("admin:centres_centre_history", args=[centre.pk]))

    assert response.status_code == 200
    # The factory's services make a version of their own (links are in the history).
    changed, _services, created = history_rows(response)
    assert changed.startswith("CHU de Brest 24 novembre 2026 à 10:40 Modification admin ")
    assert changed.endswith("Téléphone : 02 98 22 33 33 → 02 98 00 11 22")  # spaces collapsed
    assert created == "CHU de Brest 24 novembre 2026 à 10:15 Création Système"


# --- Groups -------------------------------------------------------------------------


def test_migration_creates_the_two_groups_with_their_permissions(db):
    network = set(
        Group.objects.get(name=NETWORK_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"add_centre", "delete_centre", "change_axis", "change_region"} <= network
    coordination = set(
        Group.objects.get(name=CENTRE_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"view_centre", "change_centre", "add_role", "view_axis"} <= coordination
    assert not {"add_centre", "delete_centre", "change_axis", "change_service"} & coordination


# --- Least privilege: a centre's coordinator ------------------------------------------


def test_coordinator_sees_only_their_centre_in_the_changelist(coordinator, network):
    response = coordinator.get(reverse("admin:centres_centre_changelist"))
    assert response.status_code == 200
    assert _listed(response) == {"CHU de Brest"}
    assert "Pitié" not in response.content.decode()


def test_coordinator_cannot_open_another_centre(coordinator, network):
    b = network["b"]
    assert coordinator.get(change_url(b)).status_code == 404
    response = coordinator.post(change_url(b), {"phone": "0100000000"})
    assert response.status_code == 404
    b.refresh_from_db()
    assert b.phone == "02 98 22 33 33"
    delete = reverse("admin:centres_centre_delete", args=[b.pk])
    assert coordinator.post(delete, {"post": "yes"}).status_code in (403, 404)
    assert Centre.objects.filter(pk=b.pk).exists()


def test_coordinator_cannot_see_another_centres_history(coordinator, network):
    b, a = network["b"], network["a"]
    assert coordinator.get(reverse("admin:centres_centre_history", args=[b.pk])).status_code == 404
    version = b.history.latest().history_id
    old = reverse("admin:centres_centre_simple_history", args=[b.pk, version])
    assert coordinator.get(old).status_code == 404
    assert coordinator.get(reverse("admin:centres_centre_history", args=[a.pk])).status_code == 200
    role_history = reverse("admin:centres_role_history", args=[network["role_b"].pk])
    assert coordinator.get(role_history).status_code == 404


def test_coordinator_may_read_but_not_revert_an_old_version(coordinator, network):
    a = network["a"]
    version = a.history.latest().history_id
    url = reverse("admin:centres_centre_simple_history", args=[a.pk, version])
    page = coordinator.get(url)
    assert page.status_code == 200
    assert coordinator.post(url, change_form_data(page)).status_code == 403


def test_coordinator_edits_their_centre_but_not_its_type_slug_or_editors(
    coordinator, network, django_user_model
):
    a = network["a"]
    other = staff(django_user_model, "intrus")
    page = coordinator.get(change_url(a))
    assert page.status_code == 200
    data = change_form_data(page)
    assert "kind" not in data and "slug" not in data and "editors" not in data
    data.update(
        phone="0298999999",
        kind="partner",
        slug="pirate",
        editors=[str(other.pk)],
        is_demo="on",
        is_published="",
    )
    response = coordinator.post(change_url(a), data)
    assert response.status_code == 302, response.context["errors"]
    a.refresh_from_db()
    assert a.phone == "02 98 99 99 99"
    assert a.is_published is False  # publication is the centre's call
    assert (a.kind, a.slug, a.is_demo) == (Centre.Kind.PILOT, "chu-brest", False)
    assert list(a.editors.values_list("username", flat=True)) == ["coord-a"]


def test_coordinator_cannot_add_a_centre(coordinator, network):
    assert coordinator.get(reverse("admin:centres_centre_add")).status_code == 403


def test_coordinator_edits_the_services_of_their_centre(coordinator, network):
    a = network["a"]
    extra = make_service(name="Soins de support test", slug="support-test")
    data = change_form_data(coordinator.get(change_url(a)))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "services" in k)[:-12]
    m = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-{m}-service"] = str(extra.pk)
    data[f"{prefix}-TOTAL_FORMS"] = str(m + 1)
    response = coordinator.post(change_url(a), data)
    assert response.status_code == 302, response.context["errors"]
    assert extra in a.services.all()


def test_coordinator_cannot_pick_another_centre_for_a_role(coordinator, network):
    url = reverse("admin:centres_role_add")
    assert coordinator.get(url).status_code == 200
    response = coordinator.post(
        url,
        {
            "person": network["person_a"].pk,
            "kind": Role.Kind.RESEARCH_CONTACT,
            "centre": network["b"].pk,
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert "centre" in response.context["adminform"].form.errors
    assert not Role.objects.filter(centre=network["b"], kind="research").exists()
    # Their own centre is accepted; a role without centre is not.
    ok = coordinator.post(
        url,
        {
            "person": network["person_a"].pk,
            "kind": Role.Kind.RESEARCH_CONTACT,
            "centre": network["a"].pk,
            "order": 0,
        },
    )
    assert ok.status_code == 302
    no_centre = coordinator.post(
        url, {"person": network["person_b"].pk, "kind": "research", "order": 0}
    )
    assert "centre" in no_centre.context["adminform"].form.errors


def test_coordinator_cannot_grant_network_roles(coordinator, network):
    response = coordinator.post(
        reverse("admin:centres_role_add"),
        {
            "person": network["person_a"].pk,
            "kind": Role.Kind.AXIS_COORDINATOR,
            "centre": network["a"].pk,
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert "Coordination d’axe" not in response.content.decode().split('name="kind"')[1][:2000]


def test_coordinator_sees_only_their_centres_roles(coordinator, network):
    response = coordinator.get(reverse("admin:centres_role_changelist"))
    assert {r.pk for r in response.context["cl"].result_list} == {network["role_a"].pk}
    assert coordinator.get(change_url(network["role_b"])).status_code == 404
    # The national coordination at their centre is the network's business.
    assert coordinator.get(change_url(network["national"])).status_code == 404


def test_autocomplete_never_offers_another_centre(coordinator, network):
    url = reverse("admin:autocomplete")
    params = {"app_label": "centres", "model_name": "role", "field_name": "centre"}
    found = coordinator.get(url, {**params, "term": "Pitié"}).json()["results"]
    assert found == []
    found = coordinator.get(url, {**params, "term": ""}).json()["results"]
    assert [r["text"] for r in found] == ["CHU de Brest"]
    axis_field = {"app_label": "centres", "model_name": "axis", "field_name": "referent_centre"}
    found = coordinator.get(url, {**axis_field, "term": "Pitié"}).json()["results"]
    assert found == []


def test_autocomplete_hostile_terms_get_a_400(coordinator, network):
    url = reverse("admin:autocomplete")
    params = {"app_label": "centres", "model_name": "role", "field_name": "centre"}
    for term in ("\x00", "x" * 10_000):
        assert coordinator.get(url, {**params, "term": term}).status_code == 400


def test_coordinator_cannot_run_the_review_action_on_another_centre(coordinator, network):
    b = network["b"]
    coordinator.post(
        reverse("admin:centres_centre_changelist"),
        {"action": "mark_reviewed", "_selected_action": [b.pk, network["a"].pk]},
    )
    b.refresh_from_db()
    network["a"].refresh_from_db()
    assert b.last_reviewed is None
    assert network["a"].last_reviewed == TODAY


def test_coordinator_marks_their_people_reviewed_not_the_others(coordinator, network):
    own, other = network["person_a"], network["person_b"]
    response = coordinator.post(
        reverse("admin:centres_person_changelist"),
        {"action": "mark_reviewed", "_selected_action": [own.pk, other.pk]},
        follow=True,
    )
    assert "1 fiche marquée comme relue aujourd’hui." in response.content.decode()
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.last_reviewed, other.last_reviewed) == (TODAY, None)
    assert own.history.latest().history_change_reason == "Relecture"


def test_coordinator_cannot_bulk_delete_another_centres_roles(coordinator, network):
    coordinator.post(
        reverse("admin:centres_role_changelist"),
        {"action": "delete_selected", "_selected_action": [network["role_b"].pk], "post": "yes"},
    )
    assert Role.objects.filter(pk=network["role_b"].pk).exists()


def test_coordinator_only_views_reference_data(coordinator, network, axes):
    axis = axes["pancreas"]
    assert coordinator.get(reverse("admin:centres_axis_changelist")).status_code == 200
    page = coordinator.get(change_url(axis))
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()
    coordinator.post(change_url(axis), {"name": "Piraté", "short_name": "x", "slug": "x"})
    axis.refresh_from_db()
    assert axis.name == "Pancréas"
    for model in ("axis", "service", "region", "department"):
        assert coordinator.get(reverse(f"admin:centres_{model}_add")).status_code == 403


def test_coordinator_changes_people_of_their_centre_only(coordinator, network):
    own, other = network["person_a"], network["person_b"]
    response = coordinator.get(reverse("admin:centres_person_changelist"))
    listed = {p.pk for p in response.context["cl"].result_list}
    assert own.pk in listed and other.pk not in listed
    # Another centre's person is out of reach (and cannot be named in a role).
    assert coordinator.get(change_url(other)).status_code == 404
    assert coordinator.post(change_url(other), {"last_name": "X"}).status_code == 404
    other.refresh_from_db()
    assert other.last_name == "Parisien"
    # Their centre's person (the referent): changeable.
    data = change_form_data(coordinator.get(change_url(own)))
    data["specialty"] = "Gastro-entérologie"
    response = coordinator.post(change_url(own), data)
    assert response.status_code == 302, response.context["errors"]
    own.refresh_from_db()
    assert own.specialty == "Gastro-entérologie"
    # Someone who also works elsewhere is not theirs to change.
    make_role(own, centre=network["b"], kind=Role.Kind.RESEARCH_CONTACT)
    assert coordinator.post(change_url(own), data).status_code == 403


def test_coordinator_adds_a_person_with_a_role_at_their_centre(coordinator, network):
    url = reverse("admin:centres_person_add")
    data = change_form_data(coordinator.get(url))
    assert data["roles-MIN_NUM_FORMS"] == "1"
    data.update(
        {
            "first_name": "Nina",
            "last_name": "Nouvelle",
            "roles-TOTAL_FORMS": "1",
            "roles-0-kind": Role.Kind.NURSE_COORDINATOR,
            "roles-0-centre": str(network["b"].pk),
            "roles-0-order": "0",
        }
    )
    refused = coordinator.post(url, data)
    assert refused.status_code == 200
    assert not Person.objects.filter(last_name="Nouvelle").exists()
    data["roles-0-centre"] = str(network["a"].pk)
    response = coordinator.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    person = Person.objects.get(last_name="Nouvelle")
    assert list(person.roles.values_list("centre__slug", flat=True)) == ["chu-brest"]


def test_coordinator_without_centre_sees_nothing(client, django_user_model, network):
    user = staff(django_user_model, "sans-centre", CENTRE_GROUP)
    client.force_login(user)
    response = client.get(reverse("admin:centres_centre_changelist"))
    assert response.status_code == 200 and _listed(response) == set()


def test_staff_without_group_has_no_centre_pages(client, django_user_model, network):
    user = staff(django_user_model, "sans-groupe", centres=[network["a"]])
    client.force_login(user)
    assert client.get(reverse("admin:centres_centre_changelist")).status_code == 403


# --- The pilot centre runs everything --------------------------------------------------


def test_pilot_member_sees_and_edits_every_centre(pilot, network):
    response = pilot.get(reverse("admin:centres_centre_changelist"))
    assert _listed(response) == {"CHU de Brest", "Pitié-Salpêtrière"}
    b = network["b"]
    data = change_form_data(pilot.get(change_url(b)))
    assert "kind" in data and "editors" in data
    data["kind"] = Centre.Kind.REFERENT
    response = pilot.post(change_url(b), data)
    assert response.status_code == 302, response.context["errors"]
    b.refresh_from_db()
    assert b.kind == Centre.Kind.REFERENT
    assert pilot.get(reverse("admin:centres_centre_add")).status_code == 200
    url = reverse("admin:autocomplete")
    params = {"app_label": "centres", "model_name": "role", "field_name": "centre"}
    found = pilot.get(url, {**params, "term": "Pitié"}).json()["results"]
    assert [r["text"] for r in found] == ["Pitié-Salpêtrière"]
    assert pilot.get(reverse("admin:centres_centre_history", args=[b.pk])).status_code == 200
    roles = pilot.get(reverse("admin:centres_role_changelist")).context["cl"].result_list
    assert len(roles) == 3


def test_editors_choices_are_staff_accounts_only(admin_client, network, django_user_model):
    django_user_model.objects.create_user("visiteur", "v@example.org", None)
    staff(django_user_model, "equipe")
    form = admin_client.get(change_url(network["a"])).context["adminform"].form
    usernames = set(form.fields["editors"].queryset.values_list("username", flat=True))
    assert "equipe" in usernames and "visiteur" not in usernames


# --- Saving changes only what the user changed ------------------------------------------


def test_text_sent_back_with_crlf_newlines_is_kept_as_stored(coordinator, network):
    """Browsers send a textarea's newlines as CRLF: text stored with LF (imports,
    demo data) is no change, and stays byte for byte when another field changes."""
    centre = network["a"]
    centre.description = "Premier paragraphe.\n\n- un point ;\n- un autre."
    centre.save()
    url = change_url(centre)
    html = coordinator.get(url).content.decode()
    data = as_post_data(submitted_entries(html, "centre_form", "_save"))
    assert data["description"] == ["Premier paragraphe.\r\n\r\n- un point ;\r\n- un autre."]
    data["phone"] = ["0298999999"]
    response = coordinator.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    centre.refresh_from_db()
    assert centre.description == "Premier paragraphe.\n\n- un point ;\n- un autre."
    entry = LogEntry.objects.get(object_id=str(centre.pk))
    assert json.loads(entry.change_message) == [{"changed": {"fields": ["Téléphone"]}}]


def test_pilot_reverts_an_old_version(pilot, network):
    """A revert's form holds the old version unchanged: it is written all the same."""
    centre = network["a"]
    old = centre.history.latest().history_id
    versions = centre.history.count()
    centre.phone = "0298999999"
    centre.save()
    url = reverse("admin:centres_centre_simple_history", args=[centre.pk, old])
    html = pilot.get(url).content.decode()
    form = submitted_entries(html, "historicalcentre_form", "_save")
    response = pilot.post(url, as_post_data(form))
    assert response.status_code == 302, response.context["errors"]
    centre.refresh_from_db()
    assert centre.phone == "02 98 22 33 33"
    assert centre.history.count() == versions + 2  # the change, then the revert


def test_a_single_choice_the_user_cannot_make_is_shown_and_kept(network, django_user_model):
    """A foreign key whose stored value is outside the user's choices (another
    centre) is disabled, not emptied: the posted form keeps it. No page leads
    there today (a row's centre is its user's), so the form is built directly."""
    user = staff(django_user_model, "coord-a", CENTRE_GROUP, [network["a"]])
    request = RequestFactory().get("/")
    request.user = user
    role = network["role_b"]
    form_class = admin.site._registry[Role].get_form(request, role)
    page = form_class(instance=role)
    assert page.fields["centre"].disabled
    assert list(page.fields["centre"].queryset) == [network["b"]]
    assert "Conservé tel quel" in page.fields["centre"].help_text
    posted = form_class(
        {"person": role.person_id, "kind": role.kind, "label": "", "order": "0"}, instance=role
    )
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["centre"] == network["b"]
    assert not posted.has_changed()
