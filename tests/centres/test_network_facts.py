"""The network's facts come with `migrate` (centres 0006), and never overwrite a row."""

import importlib

import pytest
from django.apps import apps

from centres.models import Axis, Centre, Person, Role
from core import geo

pytestmark = pytest.mark.network_facts
facts_migration = importlib.import_module("centres.migrations.0006_network_facts")


def test_pilot_and_referent_centres_are_in_every_database_with_their_axes(db):
    brest = Centre.objects.get(slug="chu-brest")
    avicenne = Centre.objects.get(slug="chu-avicenne")
    pitie = Centre.objects.get(slug="chu-pitie-salpetriere")
    axes = {a.slug: a for a in Axis.objects.select_related("referent_centre")}

    assert brest.kind == Centre.Kind.PILOT
    assert (avicenne.kind, pitie.kind) == (Centre.Kind.REFERENT, Centre.Kind.REFERENT)
    assert axes["oesophage"].referent_centre == brest
    assert axes["foie-voies-biliaires"].referent_centre == avicenne
    assert axes["pancreas"].referent_centre == pitie
    assert {a.slug for a in brest.axes.all()} == set(axes)
    assert {a.slug for a in avicenne.axes.all()} == {"foie-voies-biliaires"}
    assert {a.slug for a in pitie.axes.all()} == {"pancreas"}
    assert (brest.phone, brest.postcode, brest.city) == ("02 98 22 33 33", "29200", "Brest")
    assert (avicenne.phone, avicenne.postcode) == ("01 48 95 55 55", "93000")
    assert (pitie.phone, pitie.postcode) == ("01 42 16 00 00", "75013")
    for centre in (brest, avicenne, pitie):
        assert centre.is_demo is False
        assert centre.finess == ""
        assert centre.is_published
        centre.full_clean()


def test_fact_centres_lie_in_their_commune_and_are_found_by_the_search(db):
    for centre in Centre.objects.filter(is_demo=False):
        commune = geo.lookup(f"{centre.postcode} {centre.city}").location
        km = geo.distance_km(centre.latitude, centre.longitude, commune.latitude, commune.longitude)
        assert km < 3, (centre, km)
    assert list(Centre.objects.search("pitie salpetriere").values_list("slug", flat=True)) == [
        "chu-pitie-salpetriere"
    ]


def test_coordinators_have_their_roles_and_no_contact_details(db):
    def roles_of(last_name):
        person = Person.objects.get(last_name=last_name)
        assert person.is_demo is False
        assert person.email == person.phone == ""
        return {
            (r.kind, r.centre.slug, r.axis.slug if r.axis else None)
            for r in person.roles.select_related("centre", "axis")
        }

    assert roles_of("Metges") == {
        (Role.Kind.NATIONAL_COORDINATOR, "chu-brest", None),
        (Role.Kind.AXIS_COORDINATOR, "chu-brest", "oesophage"),
    }
    assert roles_of("Bourbonne") == {(Role.Kind.AXIS_COORDINATOR, "chu-brest", "oesophage")}
    for name in ("Ganne-Carrié", "Nahon"):
        assert roles_of(name) == {
            (Role.Kind.AXIS_COORDINATOR, "chu-avicenne", "foie-voies-biliaires")
        }
    for name in ("Bachet", "Spano"):
        assert roles_of(name) == {(Role.Kind.AXIS_COORDINATOR, "chu-pitie-salpetriere", "pancreas")}
    assert Person.objects.get(last_name="Metges").get_title_display() == "Pr"
    for role in Role.objects.all():
        role.full_clean()


def test_the_migration_run_again_changes_no_row_staff_edited(db):
    brest = Centre.objects.get(slug="chu-brest")
    brest.finess = "290000017"
    brest.phone = "02 98 22 30 00"
    brest.address = "Boulevard Tanguy-Prigent"
    brest.description = "Texte relu par l’équipe du CHU."
    brest.is_published = False
    brest.save()
    brest.axis_links.filter(axis__slug="foie-voies-biliaires").delete()
    metges = Person.objects.get(last_name="Metges")
    metges.title = "dr"
    metges.save()
    pancreas = Axis.objects.get(slug="pancreas")
    pancreas.referent_centre = brest
    pancreas.save()
    counts = (Centre.objects.count(), Person.objects.count(), Role.objects.count())

    facts_migration.load(apps, None)

    brest.refresh_from_db()
    metges.refresh_from_db()
    pancreas.refresh_from_db()
    assert (brest.finess, brest.phone, brest.address) == (
        "290000017",
        "02 98 22 30 00",
        "Boulevard Tanguy-Prigent",
    )
    assert brest.description == "Texte relu par l’équipe du CHU."
    assert brest.is_published is False
    assert {a.slug for a in brest.axes.all()} == {"pancreas", "oesophage"}
    assert metges.title == "dr"
    assert pancreas.referent_centre == brest
    assert (Centre.objects.count(), Person.objects.count(), Role.objects.count()) == counts


def test_the_migration_puts_back_a_fact_that_is_missing(db):
    Centre.objects.filter(slug="chu-avicenne").delete()
    Person.objects.filter(last_name="Nahon").delete()

    facts_migration.load(apps, None)

    avicenne = Centre.objects.get(slug="chu-avicenne")
    assert avicenne.search_text == "chu avicenne ap hp chu avicenne bobigny 93000"
    assert Role.objects.filter(person__last_name="Nahon", centre=avicenne).exists()


def test_the_unit_tests_remove_the_facts_as_delete_would(db):
    """tests/conftest.py takes the facts out before each unit test with plain SQL
    (the ORM's collector cost 30-55 ms a test): it must leave the same rows as
    `.delete()`, history tables aside (a raw delete writes no version)."""
    from django.db import transaction

    from tests.conftest import NETWORK_FACT_CENTRES, remove_network_facts
    from tests.db_snapshot import snapshot

    def current_rows() -> dict:
        return {
            label: rows
            for label, rows in snapshot().items()
            if not label.split(".")[1].startswith("Historical")
        }

    assert Centre.objects.filter(slug__in=NETWORK_FACT_CENTRES).count() == 3
    before = current_rows()
    with transaction.atomic():
        Centre.objects.filter(slug__in=NETWORK_FACT_CENTRES, is_demo=False).delete()
        Person.objects.filter(is_demo=False).delete()
        by_the_orm = current_rows()
        transaction.set_rollback(True)
    with transaction.atomic():
        remove_network_facts()
        by_the_fixture = current_rows()
        transaction.set_rollback(True)
    assert by_the_orm != before
    assert by_the_fixture == by_the_orm
