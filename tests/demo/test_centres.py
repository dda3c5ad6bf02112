"""The demonstration centres and teams: fictional, marked as such, never overwriting staff.

`demo_data` creates what is missing and never changes a row that exists; a reset
puts the demonstration rows back, and only those, listing each change.
"""

import re
from datetime import timedelta

import pytest

from centres.models import Axis, Centre, CentreAxis, Department, Person, Region, Role
from demo.centres import demo_centres
from demo.fiction import FICTION_PHONE_RE

from .conftest import NOW, load_demo

pytestmark = pytest.mark.network_facts

OVERSEAS_DEPARTMENTS = {"971", "972", "973", "974", "976"}
FACT_SLUGS = {"chu-brest", "chu-avicenne", "chu-pitie-salpetriere"}


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


def test_the_summary_says_what_is_there_in_french(loaded):
    lines = loaded.splitlines()
    assert [line.split("\u00a0:")[0] for line in lines] == [
        "Centres",
        "RCP",
        "Essais",
        "Actualités",
    ]
    assert lines[0].startswith(f"Centres\u00a0: {len(demo_centres())} de démonstration sur ")


def test_a_second_run_changes_no_row_and_writes_no_history(loaded):
    before = row_counts()
    _summary, writer = load_demo()
    assert row_counts() == before
    assert (writer.created, writer.updated, writer.changes) == (0, 0, [])


def test_staff_edits_of_a_demo_centre_survive_a_rerun(loaded):
    centre = Centre.objects.get(slug="hcl-croix-rousse")  # liver axis only
    centre.phone = "04 65 71 99 99"
    centre.description = "Texte relu par l’équipe."
    centre.is_published = False
    centre.save()
    centre.axis_links.all().delete()
    CentreAxis.objects.create(centre=centre, axis=Axis.objects.get(slug="pancreas"))
    centre.services.clear()
    person = Role.objects.filter(centre=centre).first().person
    person.title = "pr"
    person.save()
    Role.objects.filter(centre=centre).exclude(person=person).delete()
    before = row_counts()

    load_demo()

    centre.refresh_from_db()
    person.refresh_from_db()
    assert (centre.phone, centre.description) == ("04 65 71 99 99", "Texte relu par l’équipe.")
    assert centre.is_published is False
    assert {a.slug for a in centre.axes.all()} == {"pancreas"}
    assert not centre.services.exists()
    assert person.title == "pr"
    assert list(Role.objects.filter(centre=centre).values_list("person", flat=True)) == [person.pk]
    assert row_counts() == before


def test_a_deleted_demo_centre_comes_back_identical(loaded):
    def snapshot():
        centres = sorted(
            (c.slug, c.phone, c.latitude, c.longitude, c.description, c.referral, c.last_reviewed)
            for c in Centre.objects.filter(is_demo=True)
        )
        roles = sorted(
            (r.person.first_name, r.person.last_name, r.person.phone, r.kind, r.centre.slug)
            for r in Role.objects.filter(person__is_demo=True).select_related("person", "centre")
        )
        links = sorted(
            (link.centre.slug, link.axis.slug, link.details, link.phone)
            for link in CentreAxis.objects.filter(centre__is_demo=True).select_related(
                "centre", "axis"
            )
        )
        return centres, roles, links

    first = snapshot()
    # A centre that organises no RCP and hosts no trial (those protect it).
    alone = Centre.objects.filter(
        is_demo=True, organised_rcps__isnull=True, trial_sites__isnull=True
    ).first()
    alone.delete()
    Person.objects.filter(is_demo=True, roles__isnull=True).delete()

    load_demo()

    assert snapshot() == first


def test_reset_puts_a_demo_centre_back_and_says_what_it_changed(loaded):
    centre = Centre.objects.get(slug="hcl-croix-rousse")
    phone = centre.phone
    Centre.objects.filter(pk=centre.pk).update(phone="04 65 71 99 99", is_published=False)
    CentreAxis.objects.create(centre=centre, axis=Axis.objects.get(slug="pancreas"))
    brest = Centre.objects.get(slug="chu-brest")
    Centre.objects.filter(pk=brest.pk).update(phone="02 98 00 00 00")  # a fact: never reset
    staff_made = Centre.objects.create(
        name="Centre ajouté par l’équipe",
        slug="centre-equipe",
        address="1 rue de l’Hôpital",
        postcode="29200",
        city="Brest",
        department=Department.objects.get(code="29"),
        latitude=48.39,
        longitude=-4.49,
        phone="02 98 11 11 11",
    )

    _summary, writer = load_demo(reset=True)

    centre.refresh_from_db()
    assert centre.phone == phone and centre.is_published
    assert {a.slug for a in centre.axes.all()} == {"foie-voies-biliaires"}
    assert "Centre hcl-croix-rousse : téléphone « 04 65 71 99 99 » → « " + phone + " »" in (
        writer.changes
    )
    assert "Centre hcl-croix-rousse : publié « non » → « oui »" in writer.changes
    assert "Autres axes de hcl-croix-rousse : 1 supprimé(s)" in writer.changes
    assert Centre.objects.get(pk=brest.pk).phone == "02 98 00 00 00"
    assert Centre.objects.filter(pk=staff_made.pk).exists()
    assert not any("chu-brest" in line or "centre-equipe" in line for line in writer.changes)


def test_reset_leaves_a_demo_slug_that_staff_made_real_alone(loaded):
    Centre.objects.filter(slug="chu-nantes").update(is_demo=False, phone="02 40 08 33 33")
    _summary, writer = load_demo(reset=True)
    assert Centre.objects.get(slug="chu-nantes").phone == "02 40 08 33 33"
    assert not any("chu-nantes" in line for line in writer.changes)


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
    centres = Centre.objects.filter(is_demo=True).prefetch_related(
        "axis_links", "services", "roles__person"
    )
    assert len(centres) == len(demo_centres())
    assert any(link.details for c in centres for link in c.axis_links.all())
    today = NOW.date()
    for centre in centres:
        assert 1 <= len(centre.axis_links.all()) <= 3, centre
        assert 2 <= len(centre.services.all()) <= 6, centre
        assert centre.description and centre.referral, centre
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
    demo_rows = Centre.objects.filter(is_demo=True).select_related("department")
    for centre in demo_rows:
        assert FICTION_PHONE_RE.match(centre.phone), centre
        assert centre.email.endswith("@example.org"), centre
        assert centre.finess == "" and centre.website == "", centre
        for number in re.findall(r"\d\d(?: \d\d){4}", centre.referral):
            assert FICTION_PHONE_RE.match(number), (centre, number)
    for link in CentreAxis.objects.filter(centre__is_demo=True).exclude(phone=""):
        assert FICTION_PHONE_RE.match(link.phone), link
    for person in Person.objects.filter(is_demo=True):
        assert person.phone == "" or FICTION_PHONE_RE.match(person.phone), person
        assert person.email.endswith("@example.org"), person
    # Every fictional person works at a demonstration centre only.
    assert not Role.objects.filter(person__is_demo=True, centre__is_demo=False).exists()
    assert not Role.objects.filter(person__is_demo=False, centre__is_demo=True).exists()
    assert set(Centre.objects.filter(is_demo=False).values_list("slug", flat=True)) == FACT_SLUGS


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


def test_demo_people_never_take_over_a_real_person_of_the_same_name(loaded):
    slug = (
        Centre.objects.filter(is_demo=True, organised_rcps__isnull=True, trial_sites__isnull=True)
        .first()
        .slug
    )
    referent = Role.objects.get(centre__slug=slug, kind=Role.Kind.CENTRE_REFERENT).person
    Centre.objects.filter(slug=slug).delete()
    Person.objects.filter(pk=referent.pk).delete()
    real = Person.objects.create(
        title="dr", first_name=referent.first_name, last_name=referent.last_name
    )

    load_demo()

    real.refresh_from_db()
    assert real.is_demo is False and real.email == "" and not real.roles.exists()
    new_referent = Role.objects.get(centre__slug=slug, kind=Role.Kind.CENTRE_REFERENT).person
    assert new_referent.is_demo and new_referent.pk != real.pk
