"""The « corbeille » brings back only what was deleted with the row, and never
a row that no longer fits: séances staff deleted on their own stay deleted, a
row that would clash is left out and named, a key to a person deleted since is
emptied (and said), a key to an organiser centre deleted since refuses the
restore with nothing written."""

from datetime import date, timedelta

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.urls import reverse

from rcp.models import Rcp, RcpActivity, RcpMember
from tests.factories import make_centre, make_person
from tests.rcp.factories import make_activity, make_rcp

from .conftest import NOW, change_url
from .test_trash import RCP_TRASH, live_rows

ACTIVITY_LIST = reverse("admin:rcp_rcpactivity_changelist")


def later(frozen_now, client, user, delta):
    """Move the clock; log in again (a session lasts less than days)."""
    frozen_now.move_to(NOW + delta, tick=False)
    client.force_login(user)


def delete_activities(client, *activities):
    bulk = {
        "action": "delete_selected",
        ACTION_CHECKBOX_NAME: [a.pk for a in activities],
        "post": "yes",
    }
    assert client.post(ACTIVITY_LIST, bulk).status_code == 302
    assert not RcpActivity.objects.filter(pk__in=[a.pk for a in activities]).exists()


def delete_rcp(client, rcp):
    delete = reverse("admin:rcp_rcp_delete", args=[rcp.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    return Rcp.history.filter(id=rcp.pk, history_type="-").latest()


def restore(client, deletion):
    response = client.post(RCP_TRASH, {"history_id": str(deletion.history_id)})
    assert response.status_code == 302
    connection.check_constraints()  # what the commit would check
    page = client.get(response["Location"]).content.decode()
    return response, page


def test_a_seance_deleted_on_its_own_stays_deleted(pilot, pilot_user, brest, frozen_now):
    rcp = make_rcp(name="RCP digestive de Brest", organiser=brest)
    wrong = make_activity(rcp, date(2026, 11, 10))
    kept = make_activity(rcp, date(2026, 11, 17))
    later(frozen_now, pilot, pilot_user, timedelta(days=3))
    delete_activities(pilot, wrong)  # a mistake, corrected: the figures change
    later(frozen_now, pilot, pilot_user, timedelta(days=6))
    delete_activities(pilot, kept)  # protected: deleted just before the RCP
    later(frozen_now, pilot, pilot_user, timedelta(days=6, seconds=2))
    deletion = delete_rcp(pilot, rcp)

    later(frozen_now, pilot, pilot_user, timedelta(days=9))
    response, page = restore(pilot, deletion)
    assert response["Location"] == change_url(rcp)
    assert list(RcpActivity.objects.filter(rcp=rcp).values_list("date", flat=True)) == [
        date(2026, 11, 17)
    ]
    assert "Restauration faite\u00a0: «\u00a0RCP digestive de Brest\u00a0»." in page


def test_a_seance_deleted_and_entered_again_does_not_break_the_restore(
    pilot, pilot_user, brest, frozen_now
):
    """The review's 500: a séance deleted, entered again for the same date, then
    the RCP deleted."""
    rcp = make_rcp(name="RCP digestive de Brest", organiser=brest)
    first = make_activity(rcp, date(2026, 11, 10), files_discussed=10)
    later(frozen_now, pilot, pilot_user, timedelta(days=1))
    delete_activities(pilot, first)
    again = make_activity(rcp, date(2026, 11, 10), files_discussed=12)
    later(frozen_now, pilot, pilot_user, timedelta(days=2))
    delete_activities(pilot, again)
    later(frozen_now, pilot, pilot_user, timedelta(days=2, seconds=1))
    deletion = delete_rcp(pilot, rcp)

    later(frozen_now, pilot, pilot_user, timedelta(days=3))
    restore(pilot, deletion)
    assert list(RcpActivity.objects.filter(rcp=rcp).values_list("pk", "files_discussed")) == [
        (again.pk, 12)
    ]


def test_a_row_that_would_clash_is_left_out_and_named(pilot, pilot_user, brest, frozen_now):
    """Both séances of the same date were deleted in the same moment as the RCP:
    the last one deleted comes back, the other is named in the message."""
    rcp = make_rcp(name="RCP digestive de Brest", organiser=brest)
    first = make_activity(rcp, date(2026, 11, 10), files_discussed=10)
    delete_activities(pilot, first)
    again = make_activity(rcp, date(2026, 11, 10), files_discussed=12)
    delete_activities(pilot, again)
    deletion = delete_rcp(pilot, rcp)

    frozen_now.move_to(NOW + timedelta(minutes=20), tick=False)
    _, page = restore(pilot, deletion)
    assert list(RcpActivity.objects.filter(rcp=rcp).values_list("pk", flat=True)) == [again.pk]
    assert (
        "Pas de restauration pour «\u00a0RCP digestive de Brest — mardi 10 novembre 2026\u00a0» "
        "(séance tenue)\u00a0: Cette séance est déjà enregistrée pour cette RCP."
    ) in page


def test_a_coordinator_deleted_since_is_emptied_and_said(pilot, brest, frozen_now):
    coordinator = make_person(first_name="Anne", last_name="Le Goff")
    rcp = make_rcp(name="RCP digestive de Brest", organiser=brest, coordinator=coordinator)
    RcpMember.objects.create(rcp=rcp, person=coordinator, specialty="surgery", order=1)
    name = str(coordinator)
    frozen_now.move_to(NOW + timedelta(minutes=5), tick=False)
    deletion = delete_rcp(pilot, rcp)
    frozen_now.move_to(NOW + timedelta(minutes=10), tick=False)
    coordinator.delete()

    frozen_now.move_to(NOW + timedelta(minutes=20), tick=False)
    response, page = restore(pilot, deletion)
    assert response["Location"] == change_url(rcp)
    restored = Rcp.objects.get(pk=rcp.pk)
    assert restored.coordinator_id is None
    assert not restored.members.exists()
    assert (
        "Restauration faite\u00a0: «\u00a0RCP digestive de Brest\u00a0». "
        "Champ «\u00a0coordination médicale\u00a0» vidé\u00a0: "
        f"la fiche «\u00a0{name}\u00a0» a été supprimée depuis."
    ) in page
    assert "Pas de restauration pour «\u00a0" in page and "(membre" in page


def test_an_organiser_deleted_since_refuses_the_restore(pilot, brest, frozen_now):
    quimper = make_centre(name="CH de Quimper", slug="ch-quimper")
    rcp = make_rcp(name="RCP de Quimper", slug="rcp-quimper", organiser=quimper)
    make_activity(rcp, date(2026, 11, 10))
    frozen_now.move_to(NOW + timedelta(minutes=5), tick=False)
    rcp.activities.all().delete()
    deletion = delete_rcp(pilot, rcp)
    frozen_now.move_to(NOW + timedelta(minutes=10), tick=False)
    quimper.delete()
    before = live_rows()
    versions = Rcp.history.count(), RcpActivity.history.count()

    frozen_now.move_to(NOW + timedelta(minutes=20), tick=False)
    response = pilot.post(RCP_TRASH, {"history_id": str(deletion.history_id)}, follow=True)
    assert response.redirect_chain == [(RCP_TRASH, 302)]
    page = response.content.decode()
    assert (
        "Impossible de restaurer «\u00a0RCP de Quimper\u00a0»\u00a0: la fiche "
        "«\u00a0CH de Quimper\u00a0» (centre organisateur) a été supprimée depuis\u00a0: "
        "restaurez-la d’abord."
    ) in page
    assert f'value="{deletion.history_id}"' in page
    assert live_rows() == before
    assert (Rcp.history.count(), RcpActivity.history.count()) == versions
