"""`manage.py review_reminders`: one French plain-text e-mail per centre with
something due, a reminder after two weeks, a copy to the pilot staff after
four, nothing twice on the same day, and a fresh start once all is checked."""

import datetime
import smtplib
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from centres.models import Centre, ReviewReminder
from tests.factories import make_centre

PARIS = ZoneInfo("Europe/Paris")
CREATED = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=PARIS)
DAY0 = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=PARIS)  # a Monday, 7:00 (cron)
SITE = "https://pantogether.example"
NBSP = "\u00a0"


def user(django_user_model, username, group, centres=()):
    account = django_user_model.objects.create_user(username, f"{username}@example.org", None)
    account.is_staff = True
    account.save()
    account.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.editors.add(account)
    return account


def run(time_machine, days: int = 0, *args) -> str:
    time_machine.move_to(DAY0 + datetime.timedelta(days=days), tick=False)
    out = StringIO()
    call_command("review_reminders", "--site-url", SITE, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def brest(db, time_machine, django_user_model):
    """A centre last updated in January (six-month rhythm: due since July), its
    editor, the pilot staff, a fresh centre and an overdue demonstration centre."""
    time_machine.move_to(CREATED, tick=False)
    centre = make_centre(name="CHU de Brest", short_name="CHU de Brest")
    fresh = make_centre(name="CHU frais", short_name="CHU frais", review_every_months=12)
    Centre.objects.filter(pk=fresh.pk).update(last_reviewed=datetime.date(2026, 12, 1))
    demo = make_centre(name="Centre de démonstration", is_demo=True)
    user(django_user_model, "editrice", CENTRE_GROUP, [centre])
    user(django_user_model, "frais", CENTRE_GROUP, [fresh])
    user(django_user_model, "demo", CENTRE_GROUP, [demo])
    user(django_user_model, "pilote", NETWORK_GROUP)
    return centre


def test_first_run_writes_one_french_email_to_the_centre_editors(brest, time_machine):
    run(time_machine)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editrice@example.org"]
    assert message.cc == []
    assert message.subject == f"PAN-TOGETHER{NBSP}: À vérifier pour CHU de Brest"
    assert message.content_subtype == "plain"
    assert message.body.startswith(
        f"Bonjour,\n\nVoici ce qui est à vérifier pour CHU de Brest sur le portail "
        f"PAN-TOGETHER{NBSP}:\n\nCentres dont le rythme de mise à jour est dépassé\n"
        f"- CHU de Brest — jamais vérifié, mis à jour le 10 janvier 2026 "
        f"(rythme choisi{NBSP}: tous les 6 mois)\n"
        f"  {SITE}/admin/centres/centre/{brest.pk}/change/\n"
    )
    assert f"«{NBSP}Vérifié, rien n’a changé{NBSP}»" in message.body
    assert f"Tout ce qui est à vérifier{NBSP}: {SITE}/admin/revue/" in message.body
    assert "relance" not in message.body
    reminder = ReviewReminder.objects.get()
    assert (reminder.centre, reminder.stage, reminder.sent_at) == (brest, 1, DAY0)
    assert reminder.recipients == "editrice@example.org"


def test_the_full_course_of_reminders(brest, time_machine):
    run(time_machine)
    run(time_machine, 0)  # cron ran twice
    assert len(mail.outbox) == 1

    run(time_machine, 13)
    assert len(mail.outbox) == 1

    run(time_machine, 14)
    assert len(mail.outbox) == 2
    reminder = mail.outbox[1]
    assert reminder.subject == f"PAN-TOGETHER{NBSP}: Relance — à vérifier pour CHU de Brest"
    assert (reminder.to, reminder.cc) == (["editrice@example.org"], [])
    assert f"Ce message est une relance{NBSP}: le premier envoi date du 7 décembre 2026." in (
        reminder.body
    )

    run(time_machine, 14)
    run(time_machine, 27)
    assert len(mail.outbox) == 2

    run(time_machine, 28)
    assert len(mail.outbox) == 3
    copy = mail.outbox[2]
    assert copy.subject.startswith(f"PAN-TOGETHER{NBSP}: Seconde relance")
    assert (copy.to, copy.cc) == (["editrice@example.org"], ["pilote@example.org"])
    assert "Il est envoyé en copie à l’équipe de pilotage du réseau." in copy.body

    run(time_machine, 28)
    run(time_machine, 40)
    assert len(mail.outbox) == 3
    assert list(ReviewReminder.objects.order_by("sent_at").values_list("stage", flat=True)) == [
        1,
        2,
        3,
    ]


def test_once_checked_the_reminders_stop_and_start_afresh_next_time(brest, time_machine):
    run(time_machine)
    time_machine.move_to(DAY0 + datetime.timedelta(days=3), tick=False)
    Centre.objects.filter(pk=brest.pk).update(last_reviewed=datetime.date(2026, 12, 10))

    run(time_machine, 4)
    run(time_machine, 14)
    assert len(mail.outbox) == 1
    assert ReviewReminder.objects.get().is_closed

    # Six months after the check, due again: a first e-mail, not a reminder.
    out = run(time_machine, 190)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == f"PAN-TOGETHER{NBSP}: À vérifier pour CHU de Brest"
    assert f"CHU de Brest{NBSP}: courriel envoyé, étape 1" in out


def test_a_centre_without_editor_is_reported_to_the_pilot_staff(brest, time_machine):
    brest.editors.clear()
    run(time_machine)
    assert [m.to for m in mail.outbox] == [["pilote@example.org"]]


def test_dry_run_sends_and_records_nothing(brest, time_machine):
    out = run(time_machine, 0, "--dry-run")
    assert mail.outbox == []
    assert not ReviewReminder.objects.exists()
    assert f"CHU de Brest{NBSP}: courriel serait envoyé, étape 1 (editrice@example.org)." in out


def test_a_failed_send_is_not_recorded_and_is_tried_again(brest, time_machine, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with pytest.raises(CommandError, match="1 envoi\\(s\\) en échec"):
        run(time_machine)
    assert not ReviewReminder.objects.exists()

    monkeypatch.undo()
    run(time_machine, 1)
    assert len(mail.outbox) == 1
    assert ReviewReminder.objects.get().stage == 1
