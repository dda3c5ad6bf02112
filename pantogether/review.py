"""The review desk: what staff have to check, across centres, RCPs and trials.

`desk()` gathers the lists that each app keeps in its own ``review.py``, as
lines that link to the admin's change pages. The admin view `review_desk`
(``/admin/revue/``) shows them: the whole network to the pilot staff, their
own centres to centre editors. `review_reminders` e-mails each centre its
part of the same lists.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from centres import review as centre_review
from centres.admin_scoping import editable_centre_ids, is_network_manager
from centres.freshness import Freshness
from core.dates import format_date
from rcp import review as rcp_review
from trials import review as trial_review


@dataclass(frozen=True)
class Line:
    """One thing to check: what it is, why, and its admin change page (a path)."""

    label: str
    reason: str
    url: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _freshness_reason(obj, today) -> str:
    freshness = Freshness.of(obj, today)
    checked = (
        f"dernière vérification le {freshness.checked_text}"
        if freshness.checked
        else "jamais vérifié"
    )
    rhythm = obj.get_review_every_months_display().lower()
    updated = f", mis à jour le {freshness.updated_text}" if freshness.updated else ""
    return f"{checked}{updated} (rythme choisi : {rhythm})"


def _trial_reason(trial, now) -> str:
    reasons = []
    if trial.needs_review:
        reasons.append("le registre a changé (statut ou dates) depuis la dernière relecture")
    if trial.source == trial.Source.REGISTRY and not trial.is_demo:
        if trial.last_imported_at is None:
            reasons.append("jamais relu dans le registre")
        elif trial.last_imported_at < now - trial_review.REREAD_MAX_AGE:
            read = format_date(timezone.localtime(trial.last_imported_at), weekday=False)
            reasons.append(f"pas relu dans le registre depuis le {read}")
    return " ; ".join(reasons)


def desk(centre_ids=None, *, now: datetime | None = None, with_unmatched: bool = True):
    """The desk's sections for these centres (None: the whole network)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sections = [
        Section(
            "centres",
            "Centres dont le rythme de mise à jour est dépassé",
            [
                Line(str(c), _freshness_reason(c, today), _change_url(c))
                for c in centre_review.overdue_centres(centre_ids, today=today)
            ],
        ),
        Section(
            "rcps",
            "RCP dont le rythme de mise à jour est dépassé",
            [
                Line(str(r), f"{r.organiser} — {_freshness_reason(r, today)}", _change_url(r))
                for r in rcp_review.overdue_rcps(centre_ids, today=today)
            ],
        ),
        Section(
            "rcps_without_date",
            "RCP sans séance à venir",
            [
                Line(
                    str(r),
                    f"{r.organiser} — aucune séance prévue : vérifiez le calendrier",
                    _change_url(r),
                )
                for r in rcp_review.rcps_without_upcoming_date(centre_ids, now=now)
            ],
        ),
        Section(
            "trials",
            "Essais à revoir",
            [
                Line(str(t), _trial_reason(t, now), _change_url(t))
                for t in trial_review.trials_to_recheck(centre_ids, now=now)
            ],
        ),
    ]
    if centre_ids is None and with_unmatched:
        sections.append(
            Section(
                "sites",
                "Lieux d’essais à rapprocher d’un centre",
                [
                    Line(
                        s.facility_name or "(lieu sans nom)",
                        ", ".join(p for p in (s.facility_city, str(s.trial)) if p),
                        _change_url(s),
                    )
                    for s in trial_review.unmatched_sites()
                ],
            )
        )
    sections += [
        Section(
            "people",
            "Personnes sans coordonnées (ni téléphone ni courriel)",
            [
                Line(str(p), "ni téléphone ni courriel professionnel", _change_url(p))
                for p in centre_review.people_without_contact(centre_ids)
            ],
        ),
        Section(
            "coordinates",
            "Centres sans coordonnées utilisables sur la carte",
            [
                Line(str(c), f"latitude {c.latitude}, longitude {c.longitude}", _change_url(c))
                for c in centre_review.centres_without_coordinates(centre_ids)
            ],
        ),
    ]
    return sections


def review_desk(request):
    """/admin/revue/: the network's lists for the pilot staff, a centre editor's
    own centres' lists for them; other staff are refused."""
    if not request.user.has_perm("centres.change_centre"):
        raise PermissionDenied
    centre_ids = None if is_network_manager(request) else editable_centre_ids(request)
    sections = desk(centre_ids)
    context = {
        **admin.site.each_context(request),
        "title": "Revue : ce qui est à vérifier",
        "sections": sections,
        "total": sum(len(s.lines) for s in sections),
        "whole_network": centre_ids is None,
        "has_centres": centre_ids is None or bool(centre_ids),
    }
    return TemplateResponse(request, "admin/review_desk.html", context)
