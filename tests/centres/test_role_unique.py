"""A person holds a role once: with or without a centre or an axis, in the
model's validation, in the admin, in the database, and after the migration
that removed the duplicates stored before the constraint held."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from centres.models import Role
from tests.centres.test_admin import change_form_data
from tests.factories import make_centre, make_person, make_role

BEFORE = [("centres", "0003_admin_groups")]
AFTER = [("centres", "0004_role_unique_with_nulls")]


@pytest.mark.parametrize(
    "kind, at_centre, for_axis",
    [
        (Role.Kind.NATIONAL_COORDINATOR, False, False),
        (Role.Kind.CENTRE_REFERENT, True, False),
        (Role.Kind.AXIS_COORDINATOR, False, True),
        (Role.Kind.CENTRE_REFERENT, True, True),
    ],
)
def test_the_same_role_twice_is_refused_with_or_without_centre_or_axis(
    db, axes, kind, at_centre, for_axis
):
    scope = {
        "centre": make_centre() if at_centre else None,
        "axis": axes["pancreas"] if for_axis else None,
    }
    role = make_role(kind=kind, **scope)
    twice = Role(person=role.person, kind=kind, **scope)
    with pytest.raises(ValidationError) as refused:
        twice.full_clean()
    assert refused.value.messages == ["Cette personne a déjà ce rôle."]
    with pytest.raises(IntegrityError), transaction.atomic():
        twice.save()


def test_roles_differing_by_centre_axis_or_kind_are_distinct(db, axes):
    person = make_person()
    centre, other = make_centre(), make_centre()
    pancreas, liver = axes["pancreas"], axes["foie-voies-biliaires"]
    kept = [
        Role(person=person, kind=Role.Kind.NATIONAL_COORDINATOR),
        Role(person=person, kind=Role.Kind.NATIONAL_COORDINATOR, axis=pancreas),
        Role(person=person, kind=Role.Kind.AXIS_COORDINATOR, axis=pancreas),
        Role(person=person, kind=Role.Kind.AXIS_COORDINATOR, axis=liver),
        Role(person=person, kind=Role.Kind.CENTRE_REFERENT, centre=centre),
        Role(person=person, kind=Role.Kind.CENTRE_REFERENT, centre=other),
        Role(person=person, kind=Role.Kind.CENTRE_REFERENT, centre=centre, axis=pancreas),
        Role(person=make_person(), kind=Role.Kind.CENTRE_REFERENT, centre=centre),
    ]
    for role in kept:
        role.full_clean()
        role.save()
    assert Role.objects.count() == len(kept)


def test_saving_a_role_again_is_not_a_duplicate_of_itself(db):
    role = make_role(centre=make_centre())
    role.label = "chirurgie HPB"
    role.full_clean()
    role.save()


def test_admin_add_form_refuses_a_role_the_person_already_has(admin_client, db):
    role = make_role(centre=make_centre())
    url = reverse("admin:centres_role_add")
    data = {
        "person": str(role.person.pk),
        "kind": role.kind,
        "centre": str(role.centre.pk),
        "order": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Cette personne a déjà ce rôle." in response.content.decode()
    assert Role.objects.count() == 1


def test_person_inline_refuses_a_role_the_person_already_has(admin_client, db):
    role = make_role(kind=Role.Kind.NATIONAL_COORDINATOR)
    url = reverse("admin:centres_person_change", args=[role.person.pk])
    data = change_form_data(admin_client.get(url))
    n = int(data["roles-TOTAL_FORMS"])
    data[f"roles-{n}-kind"] = Role.Kind.NATIONAL_COORDINATOR
    data[f"roles-{n}-order"] = "0"
    data["roles-TOTAL_FORMS"] = str(n + 1)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Cette personne a déjà ce rôle." in response.content.decode()
    assert Role.objects.count() == 1


def test_person_inline_refuses_the_same_new_role_twice(admin_client, db):
    centre = make_centre()
    person = make_person()
    url = reverse("admin:centres_person_change", args=[person.pk])
    data = change_form_data(admin_client.get(url))
    for n in (0, 1):
        data[f"roles-{n}-kind"] = Role.Kind.SECRETARY
        data[f"roles-{n}-centre"] = str(centre.pk)
        data[f"roles-{n}-order"] = str(n)
    data["roles-TOTAL_FORMS"] = "2"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Cette personne a déjà ce rôle." in response.content.decode()
    assert not Role.objects.exists()


def test_centre_inline_refuses_the_same_new_role_twice(admin_client, db):
    centre = make_centre()
    person = make_person()
    url = reverse("admin:centres_centre_change", args=[centre.pk])
    data = change_form_data(admin_client.get(url))
    n = int(data["roles-TOTAL_FORMS"])
    for i in (n, n + 1):
        data[f"roles-{i}-person"] = str(person.pk)
        data[f"roles-{i}-kind"] = Role.Kind.SECRETARY
        data[f"roles-{i}-order"] = "0"
    data["roles-TOTAL_FORMS"] = str(n + 2)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Cette personne a déjà ce rôle." in response.content.decode()
    assert not Role.objects.exists()


def test_person_inline_accepts_a_role_deleted_and_added_again(admin_client, db):
    role = make_role(centre=make_centre())
    url = reverse("admin:centres_person_change", args=[role.person.pk])
    data = change_form_data(admin_client.get(url))
    data["roles-0-DELETE"] = "on"
    data["roles-1-kind"] = role.kind
    data["roles-1-centre"] = str(role.centre.pk)
    data["roles-1-label"] = "chirurgie HPB"
    data["roles-1-order"] = "0"
    data["roles-TOTAL_FORMS"] = "2"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert list(Role.objects.values_list("label", flat=True)) == ["chirurgie HPB"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_keeps_the_oldest_of_each_group_of_identical_roles():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldRole = old.get_model("centres", "Role")
    Person = old.get_model("centres", "Person")
    Centre = old.get_model("centres", "Centre")
    Axis = old.get_model("centres", "Axis")
    Department = old.get_model("centres", "Department")
    anne = Person.objects.create(first_name="Anne", last_name="Lebreton")
    paul = Person.objects.create(first_name="Paul", last_name="Parisien")
    brest = Centre.objects.create(
        name="CHU de test de Brest",
        slug="chu-test-brest",
        address="2 avenue Foch",
        postcode="29200",
        city="Brest",
        department=Department.objects.get(code="29"),
        latitude=48.39,
        longitude=-4.49,
        phone="02 98 22 33 33",
    )
    pancreas = Axis.objects.get(slug="pancreas")

    def role(person, kind, centre=None, axis=None):
        return OldRole.objects.create(person=person, kind=kind, centre=centre, axis=axis).pk

    referent = role(anne, "referent", brest)
    role(anne, "referent", brest)
    national = role(anne, "national")
    role(anne, "national")
    role(anne, "national")
    axis_referent = role(anne, "referent", brest, pancreas)
    coordinator = role(anne, "axis", axis=pancreas)
    role(anne, "axis", axis=pancreas)
    other_person = role(paul, "referent", brest)
    other_kind = role(anne, "secretary", brest)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    remaining = set(Role.objects.filter(person__in=[anne.pk, paul.pk]).values_list("pk", flat=True))
    assert remaining == {
        referent,
        national,
        axis_referent,
        coordinator,
        other_person,
        other_kind,
    }
