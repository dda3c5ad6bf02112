"""Undo: reverting a centre to an old version brings its links back; a deleted
centre comes back from the « corbeille » with its axes, services, editors and roles."""

from django.urls import reverse

from centres.models import Centre, CentreAxis, Role
from tests.html_forms import as_post_data, submitted_entries

from .conftest import change_form, change_url

TRASH = reverse("admin:centres_centre_trash")


def test_reverting_a_centre_brings_back_its_axes_and_editors(pilot, pilot_user, brest, axes):
    # The version to go back to: oesophagus axis (with its details) and one editor.
    assert pilot.post(change_url(brest), {**change_form(pilot, brest), "phone": ["0298000000"]})
    old = brest.history.latest()
    assert [r.axis.slug for r in old.axes.all()] == ["oesophage"]

    # Since then: the axis swapped for pancreas, the editor removed.
    data = change_form(pilot, brest)
    data["axis_links-0-axis"] = [str(axes["pancreas"].pk)]
    data["axis_links-0-details"] = ["Autre texte."]
    data["editors"] = []
    assert pilot.post(change_url(brest), data).status_code == 302
    assert list(brest.axes.all()) == [axes["pancreas"]]
    assert not brest.editors.exists()

    url = reverse("admin:centres_centre_simple_history", args=[brest.pk, old.history_id])
    html = pilot.get(url).content.decode()
    data = as_post_data(submitted_entries(html, "historicalcentre_form", "_save"))
    assert data["editors"] == [str(brest.editors.model.objects.get(username="equipe-brest").pk)]
    versions = brest.history.count()
    response = pilot.post(url, data)
    assert response.status_code == 302
    assert brest.history.count() == versions + 1

    brest.refresh_from_db()
    assert brest.phone == "02 98 00 00 00"
    assert [(link.axis.slug, link.details) for link in brest.axis_links.all()] == [
        ("oesophage", "Consultation le mardi.")
    ]
    assert [u.username for u in brest.editors.all()] == ["equipe-brest"]
    version = brest.history.latest()
    assert version.history_user == pilot_user
    assert version.history_change_reason == "Retour à la version du 23 novembre 2026 à 10:00"
    assert [r.axis.slug for r in version.axes.all()] == ["oesophage"]


def test_a_deleted_centre_is_restored_with_its_axes_services_editors_and_roles(
    pilot, pilot_user, brest
):
    pk = brest.pk
    role = brest.roles.get()
    delete = reverse("admin:centres_centre_delete", args=[pk])
    assert pilot.post(delete, {"post": "yes"}).status_code == 302
    assert not Centre.objects.filter(pk=pk).exists()
    assert not CentreAxis.objects.filter(centre_id=pk).exists()
    assert not Role.objects.filter(pk=role.pk).exists()

    page = pilot.get(TRASH).content.decode()
    assert "CHU de Brest" in page and "23 novembre 2026" in page
    deletion = Centre.history.get(id=pk, history_type="-")
    assert deletion.history_user == pilot_user
    response = pilot.post(TRASH, {"history_id": str(deletion.history_id)})
    assert response.status_code == 302
    assert response["Location"] == change_url(brest)
    assert (
        "Restauration faite\u00a0: «\u00a0CHU de Brest\u00a0»."
        in pilot.get(change_url(brest)).content.decode()
    )

    centre = Centre.objects.get(pk=pk)
    assert centre.name == "CHU de Brest"
    assert [(link.axis.slug, link.details) for link in centre.axis_links.all()] == [
        ("oesophage", "Consultation le mardi.")
    ]
    assert [s.name for s in centre.services.all()] == ["Écho-endoscopie test"]
    assert [u.username for u in centre.editors.all()] == ["equipe-brest"]
    assert [(r.pk, r.person_id, r.kind) for r in centre.roles.all()] == [
        (role.pk, role.person_id, role.kind)
    ]
    version = centre.history.latest()
    assert (version.history_type, version.history_change_reason) == (
        "+",
        "Restauré depuis la corbeille",
    )
    assert version.history_user == pilot_user
    assert f'value="{deletion.history_id}"' not in pilot.get(TRASH).content.decode()


def test_a_bad_or_stale_trash_request_is_a_french_message_not_an_error(pilot, brest):
    response = pilot.post(TRASH, {"history_id": "abc"}, follow=True)
    assert response.status_code == 200
    assert "Cet élément n’est plus dans la corbeille." in response.content.decode()


def test_only_network_managers_open_the_trash(client, editor, brest):
    client.force_login(editor)
    assert client.get(TRASH).status_code == 403


def test_the_admin_index_leads_pilots_to_the_trash(pilot):
    assert f'href="{TRASH}"' in pilot.get(reverse("admin:index")).content.decode()
