"""`demo_data` loads the network's facts and clearly marked, fictional demonstration
data; `create_demo_admin` creates the demo superuser once."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db import transaction

from centres import demo, geo
from centres.models import Axis, Centre, CentreAxis, Department, Person, Region, Role

FICTION_PHONE = re.compile(r"^(?:01 99 00|02 61 91|03 53 01|04 65 71|05 36 49) \d\d \d\d$")
OVERSEAS_DEPARTMENTS = {"971", "972", "973", "974", "976"}
# The demo's review dates are counted back from the day it is loaded.
LOADED_AT = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def run_demo_data() -> str:
    """The centres' part of `demo_data` alone: the RCP and trial demo data refer to
    demo centres (PROTECT), and the whole command is tested below."""
    out = io.StringIO()
    demo.load(stdout=OutputWrapper(out))
    return out.getvalue()


@pytest.fixture(scope="module")
def _demo_database(django_db_setup, django_db_blocker):
    """Load the demo data once for the module, inside a transaction rolled back at
    its end; each test runs in a savepoint of it (loading takes about 2 s). The clock
    stays at LOADED_AT for the module."""
    with (
        time_machine.travel(LOADED_AT, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        summary = run_demo_data()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def loaded(_demo_database, db):
    return _demo_database


def row_counts() -> dict[str, int]:
    return {
        "centres": Centre.objects.count(),
        "people": Person.objects.count(),
        "roles": Role.objects.count(),
        "axis links": CentreAxis.objects.count(),
        "service links": Centre.services.through.objects.count(),
        "centre history": Centre.history.count(),
        "person history": Person.history.count(),
        "role history": Role.history.count(),
        "axis history": Axis.history.count(),
    }


def test_running_demo_data_twice_leaves_the_same_rows_and_history(loaded):
    before = row_counts()

    second = run_demo_data()

    assert row_counts() == before
    assert "0 lignes créées, 0 mises à jour" in second


def test_demo_data_prints_a_one_line_summary_in_french(loaded):
    assert loaded.count("\n") == 1
    assert loaded.startswith("Centres\u00a0: 3 du réseau (faits) et ")


@pytest.mark.django_db
def test_the_demo_data_command_prints_one_line_per_app_and_is_idempotent():
    first = io.StringIO()
    call_command("demo_data", stdout=first)
    lines = first.getvalue().splitlines()
    assert [line.split("\u00a0:")[0] for line in lines] == ["Centres", "RCP", "Essais"]

    counts = {m.__name__: m.objects.count() for m in (Centre, Person, Role)}
    again = io.StringIO()
    call_command("demo_data", stdout=again)
    assert {m.__name__: m.objects.count() for m in (Centre, Person, Role)} == counts
    assert "0 lignes créées, 0 mises à jour" in again.getvalue().splitlines()[0]


def test_demo_data_puts_back_a_demo_centre_edited_by_hand(loaded):
    before = row_counts()
    centre = Centre.objects.get(slug="hcl-croix-rousse")  # liver axis only
    Centre.objects.filter(pk=centre.pk).update(phone="04 72 00 00 00")
    CentreAxis.objects.create(centre=centre, axis=Axis.objects.get(slug="pancreas"))
    person = Role.objects.filter(centre=centre).first().person
    Role.objects.create(person=person, kind=Role.Kind.RESEARCH_CONTACT, centre=centre)

    run_demo_data()

    centre.refresh_from_db()
    assert FICTION_PHONE.match(centre.phone)
    assert {a.slug for a in centre.axes.all()} == {"foie-voies-biliaires"}
    counts = row_counts()
    assert {k: v for k, v in counts.items() if "history" not in k} == {
        k: v for k, v in before.items() if "history" not in k
    }


def test_demo_data_comes_back_identical_after_being_deleted(loaded):
    def snapshot():
        return sorted(
            (c.slug, c.phone, c.latitude, c.longitude, c.description, c.referral)
            for c in Centre.objects.filter(is_demo=True)
        ), sorted(
            (r.person.first_name, r.person.last_name, r.person.phone, r.kind, r.centre.slug)
            for r in Role.objects.filter(person__is_demo=True).select_related("person", "centre")
        )

    first = snapshot()
    Centre.objects.filter(is_demo=True).delete()
    Person.objects.filter(is_demo=True).delete()

    run_demo_data()

    assert snapshot() == first


def test_pilot_and_referent_centres_are_facts_with_their_axes(loaded):
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
    assert "foie-voies-biliaires" in {a.slug for a in avicenne.axes.all()}
    assert "pancreas" in {a.slug for a in pitie.axes.all()}
    assert (brest.phone, brest.postcode, brest.city) == ("02 98 22 33 33", "29200", "Brest")
    assert (avicenne.phone, avicenne.postcode) == ("01 48 95 55 55", "93000")
    assert (pitie.phone, pitie.postcode) == ("01 42 16 00 00", "75013")
    for centre in (brest, avicenne, pitie):
        assert centre.is_demo is False
        assert centre.finess == ""
        assert centre.is_published


def test_fact_centres_lie_in_their_commune(loaded):
    for centre in Centre.objects.filter(is_demo=False):
        commune = geo.lookup(f"{centre.postcode} {centre.city}").location
        km = geo.distance_km(centre.latitude, centre.longitude, commune.latitude, commune.longitude)
        assert km < 3, (centre, km)


def test_coordinators_have_their_roles_and_no_contact_details(loaded):
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


def test_network_covers_every_region_and_overseas_department(loaded):
    published = Centre.objects.published().select_related("department__region")

    assert published.count() >= 50
    assert published.exclude(kind=Centre.Kind.PARTNER).count() >= 50
    assert {c.department.region.code for c in published} == set(
        Region.objects.values_list("code", flat=True)
    )
    assert {c.department.code for c in published} >= OVERSEAS_DEPARTMENTS
    assert Department.objects.filter(code__in=OVERSEAS_DEPARTMENTS).count() == 5


def test_every_axis_has_at_least_25_centres_with_pancreas_in_brittany_and_around_lyon(loaded):
    for axis in Axis.objects.all():
        assert axis.centres.count() >= 25, axis
    pancreas = Centre.objects.for_axis(Axis.objects.get(slug="pancreas"))
    assert pancreas.filter(department__region__code="53", is_demo=True).exists()
    assert pancreas.filter(department__code__in=["69", "42"]).count() >= 2


def test_every_row_passes_full_clean(loaded):
    for model in (Centre, CentreAxis, Person, Role):
        for obj in model.objects.all():
            obj.full_clean()


def test_demo_centres_have_axes_services_texts_team_and_a_recent_review(loaded):
    from datetime import timedelta

    centres = Centre.objects.filter(is_demo=True).prefetch_related(
        "axis_links", "services", "roles__person"
    )
    assert len(centres) >= 50
    assert any(link.details for c in centres for link in c.axis_links.all())
    for centre in centres:
        assert 1 <= len(centre.axis_links.all()) <= 3, centre
        assert 2 <= len(centre.services.all()) <= 6, centre
        assert centre.description and centre.referral, centre
        today = LOADED_AT.date()
        assert today - timedelta(days=366) <= centre.last_reviewed <= today
        team = {role.person for role in centre.roles.all()}
        assert 2 <= len(team) <= 5, centre
        assert all(person.is_demo for person in team), centre
    kinds = {role.kind for c in centres for role in c.roles.all()}
    assert {
        Role.Kind.CENTRE_REFERENT,
        Role.Kind.RCP_COORDINATOR,
        Role.Kind.SECRETARY,
        Role.Kind.RESEARCH_CONTACT,
        Role.Kind.NURSE_COORDINATOR,
    } <= kinds
    assert centres.filter(kind=Centre.Kind.PARTNER).exists()


def test_demo_contacts_are_fictional_and_facts_are_not_marked_demo(loaded):
    demo_centres = Centre.objects.filter(is_demo=True).select_related("department")
    for centre in demo_centres:
        assert FICTION_PHONE.match(centre.phone), centre
        assert centre.email.endswith("@example.org"), centre
        assert centre.finess == "" and centre.website == "", centre
        for number in re.findall(r"\d\d(?: \d\d){4}", centre.referral):
            assert FICTION_PHONE.match(number), (centre, number)
    for link in CentreAxis.objects.filter(centre__is_demo=True).exclude(phone=""):
        assert FICTION_PHONE.match(link.phone), link
    for person in Person.objects.filter(is_demo=True):
        assert person.phone == "" or FICTION_PHONE.match(person.phone), person
        assert person.email.endswith("@example.org"), person
    # Every fictional person works at a demonstration centre only.
    assert not Role.objects.filter(person__is_demo=True, centre__is_demo=False).exists()
    assert not Role.objects.filter(person__is_demo=False, centre__is_demo=True).exists()
    assert (
        not Centre.objects.filter(is_demo=False)
        .exclude(slug__in=["chu-brest", "chu-avicenne", "chu-pitie-salpetriere"])
        .exists()
    )


def test_demo_phone_numbers_use_the_fiction_range_of_their_zone(loaded):
    def prefix(slug):
        return Centre.objects.get(slug=slug).phone[:8]

    assert prefix("gustave-roussy") == "01 99 00"
    assert prefix("chu-rennes-pontchaillou") == "02 61 91"
    assert prefix("chu-reunion-felix-guyon") == "02 61 91"
    assert prefix("ch-mayotte") == "02 61 91"
    assert prefix("chu-lille-huriez") == "03 53 01"
    assert prefix("hcl-edouard-herriot") == "04 65 71"
    assert prefix("chu-montpellier-saint-eloi") == "04 65 71"
    assert prefix("ch-bastia") == "04 65 71"
    assert prefix("chu-toulouse-rangueil") == "05 36 49"
    assert prefix("chu-guadeloupe") == "05 36 49"
    assert prefix("chu-martinique") == "05 36 49"
    assert prefix("ch-cayenne") == "05 36 49"


def test_demo_centre_page_says_it_is_demonstration_and_fact_page_does_not(client, loaded):
    demo_page = client.get(Centre.objects.get(slug="chu-rennes-pontchaillou").get_absolute_url())
    fact_page = client.get(Centre.objects.get(slug="chu-brest").get_absolute_url())

    assert demo_page.status_code == fact_page.status_code == 200
    assert "donnée de démonstration" in demo_page.content.decode()
    assert "02 61 91 " in demo_page.content.decode()
    assert "donnée de démonstration" not in fact_page.content.decode()
    assert "Jean-Philippe Metges" in fact_page.content.decode()


def test_demo_people_never_take_over_a_real_person_of_the_same_name(db):
    spec = demo.DEMO_CENTRES[0]
    run_demo_data()
    referent = Role.objects.get(centre__slug=spec.slug, kind=Role.Kind.CENTRE_REFERENT).person
    Centre.objects.filter(is_demo=True).delete()
    Person.objects.filter(is_demo=True).delete()
    real = Person.objects.create(
        title="dr", first_name=referent.first_name, last_name=referent.last_name
    )

    run_demo_data()

    real.refresh_from_db()
    assert real.is_demo is False and real.email == "" and not real.roles.exists()


def test_create_demo_admin_creates_one_superuser_and_shows_its_password_once(db):
    out = io.StringIO()
    call_command("create_demo_admin", stdout=out)
    text = out.getvalue()

    users = get_user_model().objects.filter(username="admin-demo")
    assert users.count() == 1
    user = users.get()
    assert user.is_superuser and user.is_staff
    password = re.search(r"mot de passe (\S+)", text).group(1)
    assert user.check_password(password)
    assert text.count(password) == 1
    assert "identifiant admin-demo" in text


def test_create_demo_admin_twice_keeps_the_password_and_says_how_to_reset_it(db):
    first = io.StringIO()
    call_command("create_demo_admin", stdout=first)
    password = re.search(r"mot de passe (\S+)", first.getvalue()).group(1)

    second = io.StringIO()
    call_command("create_demo_admin", stdout=second)

    user = get_user_model().objects.get(username="admin-demo")
    assert user.check_password(password)
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert password not in second.getvalue()
    assert "existe déjà" in second.getvalue()
    assert "python manage.py changepassword admin-demo" in second.getvalue()
