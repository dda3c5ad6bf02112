"""The « corbeille » of RCPs and trials: a deleted RCP comes back with its
exceptions, members, activity, axes and participating centres, a deleted trial
with its sites and axes, every row as it was; a centre's editor sees and
restores only their own centres' RCPs (issue 12, point 3)."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from centres.admin_scoping import CENTRE_GROUP
from rcp.models import Rcp, RcpActivity, RcpException, RcpMember
from tests.db_snapshot import snapshot
from tests.factories import make_centre, make_person
from tests.rcp.factories import make_activity, make_exception, make_rcp
from tests.trials.factories import make_site, make_trial
from trials.models import Trial, TrialSite

from .conftest import NOW, change_url, history_url, make_staff

RCP_TRASH = reverse("admin:rcp_rcp_trash")
TRIAL_TRASH = reverse("admin:trials_trial_trash")


def live_rows() -> dict:
    """The content tables (not their history nor the admin's log), as comparable
    values: « modifié le » aside, and a link table's rows by what they link (a
    link put back is a new row of it)."""
    rows = {}
    for label, table in snapshot().items():
        model_name = label.split(".")[1]
        if model_name.startswith("Historical") or label == "admin.LogEntry":
            continue
        values = [{k: v for k, v in row.items() if k != "updated_at"} for row in table.values()]
        if "_" in model_name:  # an auto-created link table (Rcp_axes)
            values = [{k: v for k, v in row.items() if k != "id"} for row in values]
        rows[label] = sorted(values, key=repr)
    return rows


@pytest.fixture
def rcp_with_everything(brest, axes):
    """An RCP of Brest with axes, another participating centre, two exceptions,
    a member and two meetings held."""
    quimper = make_centre(name="CH de Quimper", slug="ch-quimper")
    rcp = make_rcp(
        name="RCP digestive de Brest",
        slug="rcp-digestive-brest",
        organiser=brest,
        axes=[axes["oesophage"], axes["pancreas"]],
        participants=[brest, quimper],
    )
    make_exception(rcp, date(2026, 12, 1), note="Congrès")
    make_exception(rcp, date(2026, 12, 8), kind=RcpException.Kind.MOVED, new_date=date(2026, 12, 9))
    RcpMember.objects.create(rcp=rcp, person=make_person(), specialty="surgery", order=1)
    make_activity(rcp, date(2026, 11, 10))
    make_activity(rcp, date(2026, 11, 17))
    return rcp


def delete_rcp_in_the_admin(client, frozen_now, rcp):
    """As the admin makes one: its protected activity first, then the RCP."""
    frozen_now.move_to(NOW + timedelta(minutes=5), tick=False)
    activities = list(rcp.activities.values_list("pk", flat=True))
    bulk = {"action": "delete_selected", ACTION_CHECKBOX_NAME: activities, "post": "yes"}
    assert client.post(reverse("admin:rcp_rcpactivity_changelist"), bulk).status_code == 302
    frozen_now.move_to(NOW + timedelta(minutes=6), tick=False)
    delete = reverse("admin:rcp_rcp_delete", args=[rcp.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Rcp.objects.filter(pk=rcp.pk).exists()
    return Rcp.history.get(id=rcp.pk, history_type="-")


def without_activity(rows: dict) -> dict:
    return {label: table for label, table in rows.items() if label != "rcp.RcpActivity"}


def test_a_deleted_rcp_comes_back_with_every_row_and_link(
    pilot, pilot_user, frozen_now, rcp_with_everything
):
    rcp = rcp_with_everything
    before = live_rows()
    deletion = delete_rcp_in_the_admin(pilot, frozen_now, rcp)
    assert not RcpException.objects.filter(rcp_id=rcp.pk).exists()
    assert not RcpActivity.objects.filter(rcp_id=rcp.pk).exists()
    assert live_rows() != before

    page = pilot.get(RCP_TRASH).content.decode()
    assert "RCP digestive de Brest" in page and "23 novembre 2026 à 10:06" in page
    frozen_now.move_to(NOW + timedelta(minutes=20), tick=False)
    response = pilot.post(RCP_TRASH, {"history_id": str(deletion.history_id)})
    assert response.status_code == 302
    assert response["Location"] == change_url(rcp)

    # The séances were deleted on their own a minute before: they stay deleted.
    assert without_activity(live_rows()) == without_activity(before)
    restored = Rcp.objects.get(pk=rcp.pk)
    assert sorted(a.slug for a in restored.axes.all()) == ["oesophage", "pancreas"]
    assert sorted(c.slug for c in restored.participants.all()) == ["ch-quimper", "chu-brest"]
    assert restored.exceptions.count() == 2 and restored.activities.count() == 0
    assert f'value="{deletion.history_id}"' not in pilot.get(RCP_TRASH).content.decode()


def test_a_restore_is_in_the_rcps_history_with_who_and_when(
    pilot, pilot_user, frozen_now, rcp_with_everything
):
    rcp = rcp_with_everything
    deletion = delete_rcp_in_the_admin(pilot, frozen_now, rcp)
    frozen_now.move_to(NOW + timedelta(minutes=20), tick=False)
    pilot.post(RCP_TRASH, {"history_id": str(deletion.history_id)})

    version = Rcp.history.filter(id=rcp.pk).latest()
    assert (version.history_type, version.history_change_reason) == (
        "+",
        "Restauré depuis la corbeille",
    )
    assert version.history_user == pilot_user
    assert sorted(a.axis.slug for a in version.axes.all()) == ["oesophage", "pancreas"]
    page = pilot.get(history_url(rcp)).content.decode()
    assert "Restauré depuis la corbeille" in page
    assert "23 novembre 2026" in page and "10:20" in page
    assert "pilote" in page
    # The rows that came back with it are in their own history too.
    assert RcpException.history.filter(rcp_id=rcp.pk, history_type="+").count() == 4


def test_a_deleted_trial_comes_back_with_its_sites_and_axes(pilot, brest, axes, frozen_now):
    trial = make_trial(
        plain_title="Essai pancréas néoadjuvant",
        status="RECRUITING",
        axes=[axes["pancreas"]],
        sites=[brest],
    )
    make_site(trial, None, facility_name="Clinique hors réseau", facility_city="Lorient")
    before = live_rows()
    frozen_now.move_to(NOW + timedelta(minutes=5), tick=False)
    delete = reverse("admin:trials_trial_delete", args=[trial.pk])
    assert pilot.post(delete, {"post": "yes"}).status_code == 302
    assert not TrialSite.objects.filter(trial_id=trial.pk).exists()

    deletion = Trial.history.get(id=trial.pk, history_type="-")
    assert "Essai pancréas néoadjuvant" in pilot.get(TRIAL_TRASH).content.decode()
    response = pilot.post(TRIAL_TRASH, {"history_id": str(deletion.history_id)})
    assert response["Location"] == change_url(trial)

    assert live_rows() == before
    restored = Trial.objects.get(pk=trial.pk)
    assert restored.status == "RECRUITING"
    assert [a.slug for a in restored.axes.all()] == ["pancreas"]
    assert restored.sites.count() == 2
    version = restored.history.latest()
    assert version.history_change_reason == "Restauré depuis la corbeille"


@pytest.fixture
def other_centres_rcp(django_user_model, frozen_now):
    """An RCP of centre B, deleted by the pilot staff, and B's editor."""
    centre_b = make_centre(name="CHU de Rennes", slug="chu-rennes")
    editor_b = make_staff(django_user_model, "equipe-rennes", CENTRE_GROUP)
    centre_b.editors.add(editor_b)
    rcp = make_rcp(name="RCP de Rennes", slug="rcp-rennes", organiser=centre_b)
    make_exception(rcp, date(2026, 12, 1))
    pk = rcp.pk
    rcp.delete()
    return Rcp.history.get(id=pk, history_type="-")


def test_an_editor_sees_and_restores_their_centres_rcp_only(
    client, editor, rcp_with_everything, other_centres_rcp, frozen_now
):
    own = rcp_with_everything
    pk = own.pk
    own.activities.all().delete()
    own.delete()
    own_deletion = Rcp.history.get(id=pk, history_type="-")
    client.force_login(editor)

    page = client.get(RCP_TRASH).content.decode()
    assert "RCP digestive de Brest" in page
    assert "RCP de Rennes" not in page
    assert f'value="{other_centres_rcp.history_id}"' not in page

    response = client.post(RCP_TRASH, {"history_id": str(other_centres_rcp.history_id)})
    assert response.status_code == 404
    assert not Rcp.objects.filter(pk=other_centres_rcp.id).exists()
    assert not RcpException.objects.filter(rcp_id=other_centres_rcp.id).exists()

    response = client.post(RCP_TRASH, {"history_id": str(own_deletion.history_id)})
    assert response.status_code == 302
    restored = Rcp.objects.get(pk=pk)
    assert restored.history.latest().history_user == editor
    assert restored.activities.count() == 2


def test_another_centres_rcp_restored_since_is_still_not_found(
    client, editor, pilot, other_centres_rcp
):
    response = pilot.post(RCP_TRASH, {"history_id": str(other_centres_rcp.history_id)})
    assert response.status_code == 302
    assert Rcp.objects.filter(pk=other_centres_rcp.id).exists()
    assert RcpException.objects.filter(rcp_id=other_centres_rcp.id).count() == 1
    client.force_login(editor)
    response = client.post(RCP_TRASH, {"history_id": str(other_centres_rcp.history_id)})
    assert response.status_code == 404


def test_only_network_managers_open_the_trials_trash(client, editor, brest):
    client.force_login(editor)
    assert client.get(TRIAL_TRASH).status_code == 403
    assert client.post(TRIAL_TRASH, {"history_id": "1"}).status_code == 403


def test_an_rcp_whose_address_was_taken_since_stays_in_the_trash(pilot, other_centres_rcp):
    make_rcp(name="Nouvelle RCP de Rennes", slug="rcp-rennes")
    response = pilot.post(RCP_TRASH, {"history_id": str(other_centres_rcp.history_id)}, follow=True)
    page = response.content.decode()
    assert "Impossible de restaurer «\u00a0RCP de Rennes\u00a0»\u00a0:" in page
    assert not Rcp.objects.filter(pk=other_centres_rcp.id).exists()
    assert f'value="{other_centres_rcp.history_id}"' in page


def test_the_admin_index_leads_each_user_to_the_trash_they_may_use(pilot, client, editor):
    page = pilot.get(reverse("admin:index")).content.decode()
    assert f'href="{RCP_TRASH}"' in page and f'href="{TRIAL_TRASH}"' in page
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{RCP_TRASH}"' in page and f'href="{TRIAL_TRASH}"' not in page
