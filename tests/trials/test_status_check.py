"""A registry status not read again for too long is shown as unverified and counts
as neither recruiting nor opening soon (finder, home page, centre pages)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import make_centre
from trials.models import Trial
from trials.querysets import STATUS_CHECK_MAX_AGE

from .factories import make_trial

FINDER = "/essais/"
# Records are read "n days ago" from Tuesday 24 November 2026, 10:00 in Paris.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
pytestmark = pytest.mark.time_machine(NOW, tick=False)


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def brest(db):
    return make_centre(name="CHU de Brest", slug="chu-brest")


def registry_trial(title, *, read_days_ago, axes, centre):
    """A recruiting registry trial at `centre`, its record last read that long ago."""
    return make_trial(
        plain_title=title,
        source="registry",
        last_imported_at=days_ago(read_days_ago),
        axes=[axes["pancreas"]],
        sites=[centre],
    )


@pytest.fixture
def stale(axes, brest):
    return registry_trial("Essai relu il y a longtemps", read_days_ago=60, axes=axes, centre=brest)


@pytest.fixture
def fresh(axes, brest):
    return registry_trial("Essai relu hier", read_days_ago=1, axes=axes, centre=brest)


def finder_titles(client, params=None):
    response = client.get(FINDER, params or {})
    return [card.title for card in response.context["items"]]


def test_the_limit_is_45_days():
    assert timedelta(days=45) == STATUS_CHECK_MAX_AGE


def test_the_queryset_rule(stale, fresh, brest):
    manual = make_trial(plain_title="Saisi par l’équipe", sites=[brest])
    demo = make_trial(
        plain_title="Démonstration", source="registry", is_demo=True, last_imported_at=days_ago(400)
    )
    never_read = make_trial(plain_title="Jamais lu", source="registry")
    assert set(Trial.objects.recruiting()) == {fresh, manual, demo}
    assert never_read.status_is_unverified and stale.status_is_unverified
    assert not any(t.status_is_unverified for t in (fresh, manual, demo))


def test_a_stale_trial_page_qualifies_the_status(client, stale):
    body = client.get(stale.get_absolute_url()).content.decode()
    assert "Statut non vérifié auprès du registre depuis le 25/09/2026" in body  # 60 days
    assert "Statut dans le registre\u00a0: Recrute" in body
    assert "Recrute (statut non vérifié)" in body
    assert "status-open" not in body


def test_a_fresh_registry_trial_page_has_no_note(client, fresh):
    body = client.get(fresh.get_absolute_url()).content.decode()
    assert "Statut non vérifié" not in body
    assert "status-open" in body


def test_the_finder_leaves_stale_trials_out_of_recruiting_and_soon(client, stale, fresh):
    assert finder_titles(client) == ["Essai relu hier"]
    soon = make_trial(
        plain_title="Bientôt, relu il y a longtemps",
        status="NOT_YET_RECRUITING",
        source="registry",
        last_imported_at=days_ago(46),
    )
    assert soon.display_title not in finder_titles(client, {"statut": "bientot"})
    response = client.get(FINDER, {"statut": "tous"})
    body = response.content.decode()
    assert {"Essai relu hier", "Essai relu il y a longtemps", soon.display_title} <= set(
        finder_titles(client, {"statut": "tous"})
    )
    assert body.count("Statut non vérifié auprès du registre depuis le") == 2


def test_the_finder_near_a_place_leaves_stale_trials_out(client, stale, fresh):
    assert finder_titles(client, {"pres_de": "29200"}) == ["Essai relu hier"]


def test_home_counts_and_centre_page_leave_stale_trials_out(client, stale, fresh, brest):
    home = client.get("/").content.decode()
    assert '?axe=pancreas">1 essai clinique qui recrute</a>' in home
    centre = client.get(brest.get_absolute_url()).content.decode()
    assert "1 essai recrute actuellement dans ce centre" in centre
    assert "Essai relu il y a longtemps" not in centre


def test_a_reimport_makes_the_status_current_again(client, stale):
    Trial.objects.filter(pk=stale.pk).update(last_imported_at=days_ago(44))
    assert finder_titles(client) == ["Essai relu il y a longtemps"]


def test_the_admin_lists_the_trials_to_read_again(admin_client, stale, fresh):
    manual = make_trial(plain_title="Essai saisi par l’équipe", source="manual")
    url = "/admin/trials/trial/?statut_verifie="

    to_refresh = admin_client.get(url + "non")
    checked = admin_client.get(url + "oui")

    assert [t.pk for t in to_refresh.context["cl"].result_list] == [stale.pk]
    assert {t.pk for t in checked.context["cl"].result_list} == {fresh.pk, manual.pk}
    assert "Non, à relire" in to_refresh.content.decode()
