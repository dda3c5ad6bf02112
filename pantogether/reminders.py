"""E-mail reminders of what each centre has to check (`manage.py review_reminders`).

Each centre whose part of the review desk is not empty gets one plain-text
e-mail in French, to its editors: a first one, a reminder two weeks later if
something is still due, and four weeks after the first a last reminder copied
to the pilot staff. Every e-mail sent is a `ReviewReminder` row, so a second
run the same day sends nothing, and a run that finds nothing due for a centre
closes its reminders (the next time something is due starts afresh).
A centre without an editor to write to has its e-mails sent to the pilot staff.
"""

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from centres.models import Centre, ReviewReminder
from centres.review import centre_editors, pilot_staff
from core.dates import format_date

from .review import desk

REMINDER_AFTER = timedelta(days=14)
PILOT_COPY_AFTER = timedelta(days=28)
NBSP = "\u00a0"

Stage = ReviewReminder.Stage


@dataclass(frozen=True)
class Outcome:
    """What the run did for one centre, for the command's report."""

    centre: Centre
    stage: int | None  # None: nothing sent
    note: str
    failed: bool = False


def next_stage(reminders: list[ReviewReminder], today) -> int | None:
    """The stage due today given the open reminders of a centre (oldest first)."""
    if not reminders:
        return Stage.FIRST
    first = timezone.localdate(reminders[0].sent_at)
    last_stage = max(r.stage for r in reminders)
    if last_stage == Stage.FIRST and today >= first + REMINDER_AFTER:
        return Stage.REMINDER
    if last_stage == Stage.REMINDER and today >= first + PILOT_COPY_AFTER:
        return Stage.PILOT_COPY
    return None


def subject(centre: Centre, stage: int) -> str:
    prefix = {
        Stage.FIRST: "À vérifier",
        Stage.REMINDER: "Relance — à vérifier",
        Stage.PILOT_COPY: "Seconde relance — à vérifier",
    }[stage]
    return f"PAN-TOGETHER{NBSP}: {prefix} pour {centre}"


def body(centre: Centre, stage: int, sections, *, site_url: str, first_sent=None) -> str:
    lines = [
        "Bonjour,",
        "",
        f"Voici ce qui est à vérifier pour {centre} sur le portail PAN-TOGETHER{NBSP}:",
    ]
    for section in sections:
        lines += ["", section.title]
        for line in section.lines:
            lines.append(f"- {line.label} — {line.reason}")
            lines.append(f"  {site_url}{line.url}")
    lines += [
        "",
        f"Si une fiche est toujours exacte, le bouton «{NBSP}Vérifié, rien n’a changé{NBSP}» "
        "de sa page d’administration suffit.",
        f"Tout ce qui est à vérifier{NBSP}: {site_url}{reverse('review_desk')}",
    ]
    if stage != Stage.FIRST and first_sent is not None:
        when = format_date(timezone.localdate(first_sent), weekday=False)
        lines += ["", f"Ce message est une relance{NBSP}: le premier envoi date du {when}."]
    if stage == Stage.PILOT_COPY:
        lines.append("Il est envoyé en copie à l’équipe de pilotage du réseau.")
    lines += ["", "—", "PAN-TOGETHER (message automatique, ne pas répondre)"]
    return "\n".join(lines) + "\n"


def send_review_reminders(
    *, now: datetime | None = None, site_url: str, dry_run: bool = False
) -> list[Outcome]:
    """Send today's reminders (one e-mail per centre at most) and record them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pilots = [user.email for user in pilot_staff()]
    outcomes = []
    for centre in Centre.objects.filter(is_demo=False).order_by("name"):
        sections = [s for s in desk({centre.pk}, now=now) if s.lines]
        reminders = list(centre.review_reminders.filter(is_closed=False).order_by("sent_at"))
        if not sections:
            if reminders and not dry_run:
                centre.review_reminders.filter(is_closed=False).update(is_closed=True)
            continue
        if centre.review_reminders.filter(sent_at__date=today).exists():
            outcomes.append(Outcome(centre, None, "déjà écrit aujourd’hui"))
            continue
        stage = next_stage(reminders, today)
        if stage is None:
            outcomes.append(Outcome(centre, None, "relance pas encore due"))
            continue
        editors = [user.email for user in centre_editors(centre)]
        to, cc = (editors, pilots if stage == Stage.PILOT_COPY else []) if editors else (pilots, [])
        if not to:
            outcomes.append(Outcome(centre, None, "personne à qui écrire"))
            continue
        first_sent = reminders[0].sent_at if reminders else None
        message = EmailMessage(
            subject=subject(centre, stage),
            body=body(centre, stage, sections, site_url=site_url, first_sent=first_sent),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
            cc=cc,
        )
        if not dry_run:
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as exc:
                # Not recorded: the next run tries again. The other centres still get theirs.
                outcomes.append(Outcome(centre, None, f"échec de l’envoi{NBSP}: {exc}", True))
                continue
            ReviewReminder.objects.create(
                centre=centre,
                stage=stage,
                sent_at=now,
                recipients=", ".join(to + cc),
                items="\n".join(f"{s.title}{NBSP}: {len(s.lines)}" for s in sections),
            )
        outcomes.append(Outcome(centre, stage, ", ".join(to + cc)))
    return outcomes
