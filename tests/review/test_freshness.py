"""Freshness kept by the centres: the update rhythm, the public line « Mis à jour
le … · vérifié le … » (a warning once past the rhythm), and the admin's one-click
« Vérifié, rien n’a changé »."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from centres.admin_scoping import CENTRE_GROUP
from centres.freshness import Freshness, cutoff, months_before, overdue_condition
from centres.models import Centre
from rcp.models import Rcp
from tests.factories import make_centre
from tests.rcp.factories import make_rcp

PARIS = ZoneInfo("Europe/Paris")
CREATED = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=PARIS)
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)
NBSP = "\u00a0"


def at(time_machine, moment):
    time_machine.move_to(moment, tick=False)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 12, 7), 6, datetime.date(2026, 6, 7)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 3, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2027, 1, 15), 12, datetime.date(2026, 1, 15)),
        (datetime.date(2027, 2, 10), 3, datetime.date(2026, 11, 10)),
    ],
)
def test_months_before_keeps_the_day_or_the_last_of_a_shorter_month(day, months, expected):
    assert months_before(day, months) == expected


def test_new_centre_has_a_six_month_rhythm(db):
    assert make_centre().review_every_months == 6
    assert make_rcp().review_every_months == 6


def test_fresh_centre_page_says_when_it_was_updated_and_checked(client, db, time_machine):
    at(time_machine, CREATED)
    centre = make_centre(name="CHU de Brest", last_reviewed=datetime.date(2026, 1, 5))
    at(time_machine, datetime.datetime(2026, 6, 1, 12, 0, tzinfo=PARIS))

    html = client.get(centre.get_absolute_url()).content.decode()

    assert "Mis à jour le 10 janvier 2026 · vérifié le 5 janvier 2026" in html
    assert "Informations à vérifier" not in html
    assert "freshness-overdue" not in html


def test_centre_page_past_its_rhythm_asks_for_a_check_in_words(client, db, time_machine):
    at(time_machine, CREATED)
    centre = make_centre(last_reviewed=datetime.date(2026, 1, 5))
    at(time_machine, NOW)

    html = client.get(centre.get_absolute_url()).content.decode()

    assert (
        f'<p class="reviewed freshness freshness-overdue"><strong>Informations à vérifier{NBSP}:'
        "</strong> dernière vérification le 5 janvier 2026 · dernière mise à jour le "
        "10 janvier 2026.</p>"
    ) in html
    assert "Mis à jour le" not in html


def test_a_yearly_rhythm_keeps_the_same_centre_fresh(client, db, time_machine):
    at(time_machine, CREATED)
    centre = make_centre(last_reviewed=datetime.date(2026, 1, 5), review_every_months=12)
    at(time_machine, NOW)

    html = client.get(centre.get_absolute_url()).content.decode()

    assert "Mis à jour le 10 janvier 2026 · vérifié le 5 janvier 2026" in html
    assert "Informations à vérifier" not in html


def test_never_checked_centre_says_so_once_overdue(client, db, time_machine):
    at(time_machine, CREATED)
    centre = make_centre(review_every_months=1)
    at(time_machine, datetime.datetime(2026, 2, 11, 8, 0, tzinfo=PARIS))

    html = client.get(centre.get_absolute_url()).content.decode()

    assert "pas encore vérifiées par l’équipe · dernière mise à jour le 10 janvier 2026." in html


def test_rcp_page_shows_its_freshness_and_warns_when_overdue(client, db, time_machine):
    at(time_machine, CREATED)
    rcp = make_rcp(last_reviewed=datetime.date(2026, 1, 8), review_every_months=3)
    at(time_machine, datetime.datetime(2026, 3, 20, 10, 0, tzinfo=PARIS))
    html = client.get(rcp.get_absolute_url()).content.decode()
    assert "Mis à jour le 10 janvier 2026 · vérifié le 8 janvier 2026" in html

    at(time_machine, datetime.datetime(2026, 4, 11, 10, 0, tzinfo=PARIS))
    html = client.get(rcp.get_absolute_url()).content.decode()
    expected = f"Informations à vérifier{NBSP}:</strong> dernière vérification le 8 janvier 2026"
    assert expected in html


@pytest.mark.parametrize("months", [1, 3, 6, 12])
@pytest.mark.parametrize(
    "today",
    [datetime.date(2026, 12, 7), datetime.date(2027, 2, 28), datetime.date(2027, 3, 31)],
)
def test_queryset_rule_and_page_rule_agree(db, time_machine, months, today):
    """Rows around each rhythm's limit: the desk's query lists exactly those the
    public page calls overdue."""
    limit = cutoff(months, today)
    at(time_machine, datetime.datetime(2025, 1, 1, 12, 0, tzinfo=PARIS))
    checked = set()
    for shift in (-1, 0, 1):
        for with_check in (True, False):
            centre = make_centre(review_every_months=months)
            day = limit + datetime.timedelta(days=shift)
            moment = datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=PARIS)
            if with_check:
                Centre.objects.filter(pk=centre.pk).update(last_reviewed=day)
            else:
                Centre.objects.filter(pk=centre.pk).update(updated_at=moment)
            checked.add(centre.pk)
    listed = set(Centre.objects.filter(overdue_condition(today)).values_list("pk", flat=True))
    expected = {
        c.pk for c in Centre.objects.filter(pk__in=checked) if Freshness.of(c, today).is_overdue
    }
    assert listed == expected
    assert 0 < len(listed) < len(checked)


# --- The admin's « Vérifié, rien n’a changé » -----------------------------------


def verified_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_verified", args=[obj.pk])


def test_change_page_offers_the_one_click_check(admin_client, db):
    centre = make_centre()
    html = admin_client.get(
        reverse("admin:centres_centre_change", args=[centre.pk])
    ).content.decode()
    assert f'action="{verified_url(centre)}"' in html
    assert "Vérifié, rien n’a changé</button>" in html
    assert 'name="review_every_months"' in html


@pytest.mark.parametrize("model", [Centre, Rcp])
def test_check_stamps_today_keeps_the_update_date_and_is_in_history(
    admin_client, db, time_machine, model
):
    at(time_machine, CREATED)
    obj = make_centre() if model is Centre else make_rcp()
    updated_at = model.objects.get(pk=obj.pk).updated_at
    at(time_machine, NOW)

    response = admin_client.post(verified_url(obj), follow=True)

    obj.refresh_from_db()
    assert obj.last_reviewed == NOW.date()
    assert obj.updated_at == updated_at
    record = obj.history.first()
    assert record.history_change_reason == "Vérifié, rien n’a changé"
    assert record.last_reviewed == NOW.date()
    assert response.redirect_chain[-1][0].endswith(f"/{obj.pk}/change/")
    assert (
        "vérification enregistrée le 7 décembre 2026, sans autre changement"
        in response.content.decode()
    )
    # The public page: updated in January, checked today.
    html = admin_client.get(obj.get_absolute_url()).content.decode()
    assert "Mis à jour le 10 janvier 2026 · vérifié le 7 décembre 2026" in html


def test_check_is_post_only(admin_client, db):
    centre = make_centre()
    assert admin_client.get(verified_url(centre)).status_code == 405
    centre.refresh_from_db()
    assert centre.last_reviewed is None


@pytest.mark.parametrize("key", ["abc", "99999999999999999999999"])
def test_check_of_a_bad_key_is_a_404(admin_client, db, key):
    url = reverse("admin:centres_centre_verified", args=[1]).replace("/1/", f"/{key}/")
    assert admin_client.post(url).status_code == 404


def test_coordinator_checks_their_centre_but_not_another(client, db, django_user_model):
    from django.contrib.auth.models import Group

    own, other = make_centre(), make_centre()
    user = django_user_model.objects.create_user("coord", "coord@example.org", None)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=CENTRE_GROUP))
    own.editors.add(user)
    client.force_login(user)

    assert client.post(verified_url(own)).status_code == 302
    assert client.post(verified_url(other)).status_code == 404
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.last_reviewed is not None
    assert other.last_reviewed is None
