"""The RCP back-office: pages render, the plain-French schedule form, the next
five dates, refused rules, exceptions inline, CSV import, and scoping."""

import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from rcp.admin import RcpAdminForm
from rcp.models import Rcp, RcpActivity, RcpException
from tests import factories
from tests.html_forms import as_post_data, submitted_entries

from .factories import make_activity, make_rcp

PARIS = ZoneInfo("Europe/Paris")
# The back office on Monday 30 November 2026 at 9:00: the next meetings it computes
# (and the activity dates it accepts, never in the future) depend on the day and hour.
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def add_data(axes, organiser, **overrides) -> dict:
    data = {
        "name": "RCP régionale pancréas",
        "slug": "rcp-regionale-pancreas",
        "axes": [str(axes["pancreas"].pk)],
        "scope": "regional",
        "organiser": str(organiser.pk),
        "pattern": "weekly",
        "days": ["TU"],
        "rrule": "",
        "first_date": "2026-01-06",
        "start_time": "14:00",
        "duration_minutes": "120",
        "timezone": "Europe/Paris",
        "deadline_days_before": "2",
        "deadline_time": "12:00",
        "deadline_skips_weekend": "on",
        "mode": "video",
        "is_published": "on",
        "review_every_months": "6",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def errors_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    "url",
    [
        "admin:rcp_rcp_changelist",
        "admin:rcp_rcp_add",
        "admin:rcp_rcpactivity_changelist",
        "admin:rcp_rcpactivity_add",
        "admin:rcp_rcpactivity_import",
    ],
)
def test_admin_pages_render(admin_client, url):
    rcp = make_rcp()
    make_activity(rcp, date(2026, 11, 3))
    assert admin_client.get(reverse(url)).status_code == 200


def test_change_page_shows_the_next_five_dates_and_the_plain_french_pattern(admin_client):
    rcp = make_rcp(rrule="FREQ=MONTHLY;BYDAY=1TU,3TU", first_date=date(2026, 1, 6))
    response = admin_client.get(reverse("admin:rcp_rcp_change", args=[rcp.pk]))
    page = errors_of(response)
    form = response.context["adminform"].form
    assert form.initial["pattern"] == "monthly"
    assert form.initial["ranks"] == ["1", "3"] and form.initial["month_weekday"] == "TU"
    assert "cinq prochaines séances, calculées" in page.lower()
    assert page.count("<li>mardi ") >= 5


@pytest.mark.parametrize(
    "fields, first_date, expected, first_meeting",
    [
        (
            {"pattern": "weekly", "days": ["TU", "TH"]},
            "2026-01-06",
            "FREQ=WEEKLY;BYDAY=TU,TH",
            "mardi 1er décembre 2026 à 14\u00a0h\u00a000",
        ),
        (
            {"pattern": "biweekly", "days": ["TU"]},
            "2026-01-06",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "mardi 8 décembre 2026 à 14\u00a0h\u00a000",
        ),
        (
            {"pattern": "monthly", "ranks": ["3", "1"], "month_weekday": "TU"},
            "2026-01-06",
            "FREQ=MONTHLY;BYDAY=1TU,3TU",
            "mardi 1er décembre 2026 à 14\u00a0h\u00a000",
        ),
        (
            {"pattern": "monthly", "ranks": ["-1"], "month_weekday": "TU"},
            "2026-01-27",
            "FREQ=MONTHLY;BYDAY=-1TU",
            "mardi 29 décembre 2026 à 14\u00a0h\u00a000",
        ),
        (
            {"pattern": "custom", "rrule": "freq=monthly;interval=2;byday=2tu"},
            "2026-01-13",
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU",
            "mardi 12 janvier 2027 à 14\u00a0h\u00a000",
        ),
    ],
)
def test_plain_french_patterns_become_rules(
    admin_client, axes, fields, first_date, expected, first_meeting
):
    organiser = factories.make_centre()
    data = add_data(axes, organiser, **fields, first_date=first_date)
    response = admin_client.post(reverse("admin:rcp_rcp_add"), data, follow=True)
    assert response.status_code == 200
    rcp = Rcp.objects.get(slug="rcp-regionale-pancreas")
    assert rcp.rrule == expected
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith(f"Prochaines séances calculées : {first_meeting} ;") for m in messages)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"pattern": "custom", "rrule": "FREQ=DAILY"}, "Règle de récurrence refusée"),
        ({"pattern": "custom", "rrule": ""}, "Saisissez la règle RRULE"),
        ({"pattern": "weekly", "days": []}, "Cochez au moins un jour."),
        ({"pattern": "monthly", "ranks": [], "month_weekday": "TU"}, "Cochez au moins un rang"),
        ({"pattern": "weekly", "days": ["WE"]}, "n’est pas une date de la règle"),
        ({"pattern": "weekly", "days": ["TU"], "slug": "calendrier"}, "est réservé"),
    ],
)
def test_invalid_schedules_are_refused_with_a_clear_message(admin_client, axes, fields, message):
    organiser = factories.make_centre()
    response = admin_client.post(reverse("admin:rcp_rcp_add"), add_data(axes, organiser, **fields))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Rcp.objects.exists()


def test_pattern_of_recognises_the_common_rules():
    assert RcpAdminForm.pattern_of("FREQ=WEEKLY;BYDAY=TU") == {
        "pattern": "weekly",
        "days": ["TU"],
    }
    assert RcpAdminForm.pattern_of("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH") == {
        "pattern": "biweekly",
        "days": ["MO", "TH"],
    }
    assert RcpAdminForm.pattern_of("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1") == {"pattern": "custom"}
    assert RcpAdminForm.pattern_of("FREQ=WEEKLY;BYDAY=TU;BYMONTH=1,2") == {"pattern": "custom"}
    assert RcpAdminForm.pattern_of("garbage") == {"pattern": "custom"}


def test_exception_inline_refuses_a_day_without_meeting(admin_client, axes):
    organiser = factories.make_centre()
    data = add_data(axes, organiser)
    data.update(
        {
            "exceptions-TOTAL_FORMS": "2",
            "exceptions-0-original_date": "2026-12-01",
            "exceptions-0-kind": "cancelled",
            "exceptions-0-note": "Congrès",
            "exceptions-1-original_date": "2026-12-02",
            "exceptions-1-kind": "cancelled",
        }
    )
    response = admin_client.post(reverse("admin:rcp_rcp_add"), data)
    assert "Il n’y a pas de séance prévue le mercredi 2 décembre 2026" in errors_of(response)
    data["exceptions-1-original_date"] = "2026-12-08"
    data["exceptions-1-kind"] = "moved"
    data["exceptions-1-new_date"] = "2026-12-09"
    admin_client.post(reverse("admin:rcp_rcp_add"), data)
    rcp = Rcp.objects.get()
    assert list(rcp.exceptions.values_list("original_date", "kind")) == [
        (date(2026, 12, 1), RcpException.Kind.CANCELLED),
        (date(2026, 12, 8), RcpException.Kind.MOVED),
    ]


def test_rcp_changelist_queries_do_not_grow(admin_client, django_assert_max_num_queries):
    make_rcp()
    with django_assert_max_num_queries(12) as few:
        admin_client.get(reverse("admin:rcp_rcp_changelist"))
    for _ in range(15):
        make_rcp()
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(reverse("admin:rcp_rcp_changelist"))


def test_admin_import_refuses_a_bad_file_and_imports_a_good_one(admin_client):
    rcp = make_rcp(slug="recours-pancreas")
    url = reverse("admin:rcp_rcpactivity_import")
    bad = SimpleUploadedFile(
        "activite.csv",
        b"rcp;date;dossiers;medecins;specialites\nrecours-pancreas;2026-13-01;12;11;5\n",
    )
    response = admin_client.post(url, {"file": bad})
    page = errors_of(response)
    assert "Fichier refusé : rien n’a été importé." in page
    assert "Ligne 2 : date « 2026-13-01 » illisible" in page
    good = SimpleUploadedFile(
        "activite.csv",
        b"rcp;date;dossiers;medecins;specialites\nrecours-pancreas;2026-11-03;12;11;5\n",
    )
    response = admin_client.post(url, {"file": good}, follow=True)
    assert "Import terminé : 1 séances ajoutées" in errors_of(response)
    assert rcp.activities.count() == 1


# --- Scoping -------------------------------------------------------------------------


@pytest.fixture
def coordinator(client, django_user_model):
    """A member of « Coordination de centre », editor of one centre."""
    own = factories.make_centre(name="Centre du coordinateur")
    other = factories.make_centre(name="Autre centre")
    user = django_user_model.objects.create_user("coord", "coord@example.org", None)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=CENTRE_GROUP))
    own.editors.add(user)
    client.force_login(user)
    return {"client": client, "own": own, "other": other}


def test_coordinator_sees_and_changes_only_their_centres_rcps(coordinator):
    client = coordinator["client"]
    mine = make_rcp(name="RCP du centre", organiser=coordinator["own"])
    theirs = make_rcp(name="RCP d’ailleurs", organiser=coordinator["other"])
    page = errors_of(client.get(reverse("admin:rcp_rcp_changelist")))
    assert mine.name in page and theirs.name not in page
    assert client.get(reverse("admin:rcp_rcp_change", args=[mine.pk])).status_code == 200
    response = client.get(reverse("admin:rcp_rcp_change", args=[theirs.pk]))
    assert response.status_code in (302, 403, 404)
    # The organiser field only offers their own centre.
    form = client.get(reverse("admin:rcp_rcp_add")).context["adminform"].form
    assert list(form.fields["organiser"].queryset) == [coordinator["own"]]


def test_coordinator_imports_only_for_their_rcps(coordinator):
    client = coordinator["client"]
    make_rcp(slug="a-moi", organiser=coordinator["own"])
    make_rcp(slug="pas-a-moi", organiser=coordinator["other"])
    upload = SimpleUploadedFile(
        "activite.csv",
        b"rcp;date;dossiers;medecins;specialites\n"
        b"a-moi;2026-11-03;12;11;5\npas-a-moi;2026-11-03;12;11;5\n",
    )
    response = client.post(reverse("admin:rcp_rcpactivity_import"), {"file": upload})
    assert "Ligne 3 : RCP inconnue ou hors de vos droits : « pas-a-moi »." in errors_of(response)
    assert not RcpActivity.objects.exists()


def test_coordinator_activity_list_and_rcp_choices_are_scoped(coordinator):
    client = coordinator["client"]
    mine = make_rcp(organiser=coordinator["own"])
    theirs = make_rcp(organiser=coordinator["other"])
    make_activity(mine, date(2026, 11, 3))
    make_activity(theirs, date(2026, 11, 3), files_discussed=77)
    response = client.get(reverse("admin:rcp_rcpactivity_changelist"))
    assert response.context["cl"].result_count == 1
    form = client.get(reverse("admin:rcp_rcpactivity_add")).context["adminform"].form
    assert list(form.fields["rcp"].queryset) == [mine]
    search = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "rcp", "model_name": "rcpactivity", "field_name": "rcp", "term": "RCP"},
    )
    assert [r["id"] for r in search.json()["results"]] == [str(mine.pk)]


def test_case_form_upload_is_checked_by_content(admin_client, axes, settings, tmp_path):
    from demo.rcps import demo_case_form_pdf

    settings.MEDIA_ROOT = tmp_path
    organiser = factories.make_centre()
    data = add_data(axes, organiser)
    data["case_form"] = SimpleUploadedFile("fiche.pdf", b"MZ\x90\x00 a renamed program")
    response = admin_client.post(reverse("admin:rcp_rcp_add"), data)
    assert "Le contenu du fichier ne correspond pas à un document .pdf" in errors_of(response)
    data["case_form"] = SimpleUploadedFile("fiche.pdf", demo_case_form_pdf("Fiche"))
    admin_client.post(reverse("admin:rcp_rcp_add"), data)
    rcp = Rcp.objects.get()
    assert rcp.case_form.name.startswith("rcp/fiches/")
    # Saving again without a new file keeps it and does not re-open it.
    response = admin_client.get(reverse("admin:rcp_rcp_change", args=[rcp.pk]))
    assert response.status_code == 200


# --- Saving keeps the participants a coordinator cannot choose --------------------


@pytest.fixture
def shared_rcp(coordinator, axes):
    """The coordinator's RCP, with six other centres taking part (one with a name
    that must be escaped)."""
    others = [coordinator["other"], factories.make_centre(name="Hôpital <Test> & Cie")]
    others += [factories.make_centre(name=f"Centre participant {n}") for n in range(4)]
    rcp = make_rcp(
        name="RCP du centre",
        organiser=coordinator["own"],
        participants=[coordinator["own"], *others],
        axes=[axes["pancreas"]],
    )
    return rcp, others


def _browser_post(client, url, form_id="rcp_form", **changes):
    """Post the change page back as a browser would, with `changes` typed in."""
    page = client.get(url)
    assert page.status_code == 200
    data = as_post_data(submitted_entries(page.content.decode(), form_id, "_save"))
    data.update(changes)
    return client.post(url, data)


def test_coordinator_sees_read_only_which_other_centres_are_kept(coordinator, shared_rcp):
    rcp, others = shared_rcp
    url = reverse("admin:rcp_rcp_change", args=[rcp.pk])
    html = coordinator["client"].get(url).content.decode()
    sent = [value for name, value in submitted_entries(html, "rcp_form") if name == "participants"]
    assert sent == [str(coordinator["own"].pk)]  # the widget offers their own centre only
    help_text = html.split('id="id_participants_helptext"')[1].split("</div>")[0]
    assert "Conservés tels quels (vous ne pouvez pas les choisir ici)" in help_text
    assert "Hôpital &lt;Test&gt; &amp; Cie" in help_text
    assert all(str(centre) in help_text for centre in others if "<" not in centre.name)


def test_coordinator_renaming_their_rcp_keeps_the_other_participants(coordinator, shared_rcp):
    rcp, others = shared_rcp
    before = rcp.history.count()
    url = reverse("admin:rcp_rcp_change", args=[rcp.pk])
    response = _browser_post(coordinator["client"], url, name=["RCP digestive du centre"])
    assert response.status_code == 302
    rcp.refresh_from_db()
    assert rcp.name == "RCP digestive du centre"
    assert set(rcp.participants.all()) == {coordinator["own"], *others}
    assert rcp.history.count() == before + 1
    assert rcp.history.latest().name == "RCP digestive du centre"
    entry = LogEntry.objects.get(object_id=str(rcp.pk))
    assert json.loads(entry.change_message) == [{"changed": {"fields": ["Nom"]}}]


def test_coordinator_removing_their_centre_keeps_the_others(coordinator, shared_rcp):
    rcp, others = shared_rcp
    url = reverse("admin:rcp_rcp_change", args=[rcp.pk])
    response = _browser_post(coordinator["client"], url, participants=[])
    assert response.status_code == 302
    assert set(rcp.participants.all()) == set(others)


def test_network_manager_chooses_every_participant(client, django_user_model, shared_rcp):
    rcp, others = shared_rcp
    user = django_user_model.objects.create_user("pilote", "p@example.org", None, is_staff=True)
    user.groups.add(Group.objects.get(name=NETWORK_GROUP))
    client.force_login(user)
    url = reverse("admin:rcp_rcp_change", args=[rcp.pk])
    html = client.get(url).content.decode()
    sent = {value for name, value in submitted_entries(html, "rcp_form") if name == "participants"}
    assert sent == {str(centre.pk) for centre in rcp.participants.all()}
    assert "Conservés tels quels" not in html  # nothing they cannot choose
    response = _browser_post(client, url, participants=sorted(sent - {str(others[0].pk)}))
    assert response.status_code == 302
    assert others[0] not in rcp.participants.all()
    assert rcp.participants.count() == 6


def test_changing_the_days_rewrites_the_rule_and_only_then(admin_client, axes):
    rcp = make_rcp(rrule="FREQ=WEEKLY;BYDAY=TH,TU", axes=[axes["pancreas"]])
    url = reverse("admin:rcp_rcp_change", args=[rcp.pk])
    assert _browser_post(admin_client, url).status_code == 302
    rcp.refresh_from_db()
    assert rcp.rrule == "FREQ=WEEKLY;BYDAY=TH,TU"  # as written: no change, nothing rewritten
    assert _browser_post(admin_client, url, days=["TU"]).status_code == 302
    rcp.refresh_from_db()
    assert rcp.rrule == "FREQ=WEEKLY;BYDAY=TU"
