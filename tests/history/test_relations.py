"""Every change to a row's links is in its history, with who and when, and reads
as staff say it on the history page."""

from django.urls import reverse

from centres.models import Centre
from tests.factories import make_centre
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_trial

from .conftest import NOW, change_form, change_url, history_url, make_staff


def test_adding_an_editor_in_the_admin_is_one_version_by_who_and_when(
    pilot, pilot_user, brest, django_user_model
):
    newcomer = make_staff(django_user_model, "nouvelle-recrue")
    versions = brest.history.count()
    data = change_form(pilot, brest)
    data["editors"] = [*data["editors"], str(newcomer.pk)]
    response = pilot.post(change_url(brest), data)
    assert response.status_code == 302, response.context["errors"]

    assert brest.history.count() == versions + 1
    version = brest.history.latest()
    assert version.history_user == pilot_user
    assert version.history_date == NOW
    assert {row.user.username for row in version.editors.all()} == {
        "equipe-brest",
        "nouvelle-recrue",
    }
    page = pilot.get(history_url(brest)).content.decode()
    assert "Éditeurs&nbsp;:</strong>" in page
    assert "ajouté&nbsp;: nouvelle-recrue" in page
    assert "pilote" in page


def test_an_axis_added_in_the_inline_is_in_the_centre_version_and_its_own_history(
    pilot, pilot_user, brest, axes
):
    data = change_form(pilot, brest)
    total = int(data["axis_links-TOTAL_FORMS"][0])
    data["axis_links-TOTAL_FORMS"] = [str(total + 1)]
    data[f"axis_links-{total}-axis"] = [str(axes["pancreas"].pk)]
    data[f"axis_links-{total}-details"] = ["RCP de recours le jeudi."]
    data[f"axis_links-{total}-phone"] = [""]
    data[f"axis_links-{total}-centre"] = [str(brest.pk)]
    response = pilot.post(change_url(brest), data)
    assert response.status_code == 302, response.context["errors"]

    version = brest.history.latest()
    assert version.history_user == pilot_user
    assert {(r.axis.slug, r.details) for r in version.axes.all()} == {
        ("oesophage", "Consultation le mardi."),
        ("pancreas", "RCP de recours le jeudi."),
    }
    link = brest.axis_links.get(axis=axes["pancreas"])
    assert link.history.get().history_user == pilot_user
    page = pilot.get(history_url(brest)).content.decode()
    assert f"ajouté&nbsp;: {axes['pancreas']}" in page


def test_a_service_removed_in_the_inline_is_read_as_removed(pilot, brest):
    data = change_form(pilot, brest)
    data["Centre_services-0-DELETE"] = ["on"]
    response = pilot.post(change_url(brest), data)
    assert response.status_code == 302, response.context["errors"]
    assert not brest.history.latest().services.exists()
    assert "retiré&nbsp;: Écho-endoscopie test" in pilot.get(history_url(brest)).content.decode()


def test_a_field_change_reads_label_old_and_new(pilot, brest):
    data = change_form(pilot, brest)
    data["kind"] = [Centre.Kind.REFERENT]
    assert pilot.post(change_url(brest), data).status_code == 302
    page = pilot.get(history_url(brest)).content.decode()
    assert "Type&nbsp;:</strong>" in page
    assert "Centre expert&nbsp;→ Centre référent" in page


def test_saving_unchanged_writes_no_version(pilot, brest):
    versions = brest.history.count()
    assert pilot.post(change_url(brest), change_form(pilot, brest)).status_code == 302
    assert brest.history.count() == versions


def test_links_changed_in_code_are_versions_too(db, axes):
    """A shell or a command that adds links leaves a version with the links."""
    centre = make_centre()
    rcp = make_rcp(axes=[axes["pancreas"]])
    rcp.participants.add(centre)
    assert [r.centre for r in rcp.history.latest().participants.all()] == [centre]
    trial = make_trial()
    trial.axes.add(axes["foie-voies-biliaires"])
    assert [r.axis for r in trial.history.latest().axes.all()] == [axes["foie-voies-biliaires"]]


def test_reference_data_changes_are_recorded(pilot, pilot_user, brest):
    service = brest.services.get()
    data = change_form(pilot, service)
    data["name"] = ["Écho-endoscopie interventionnelle"]
    assert pilot.post(change_url(service), data).status_code == 302
    version = service.history.latest()
    assert (version.history_user, version.name) == (
        pilot_user,
        "Écho-endoscopie interventionnelle",
    )
    department = brest.department
    assert pilot.get(history_url(department)).status_code == 200
    assert (
        pilot.get(reverse("admin:centres_region_history", args=[department.region_id])).status_code
        == 200
    )
