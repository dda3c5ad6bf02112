"""How fresh a page kept by a centre is: its update rhythm, and whether it is due.

A centre and an RCP each have an update rhythm (every 1, 3, 6 or 12 months)
chosen by their editors. Their content is fresh while its last update or its
last check (« Vérifié, rien n’a changé ») is younger than the rhythm; past
it, the public page says the information is to be checked, and the review
desk and the reminders list it. One rule, here, for a loaded object
(`Freshness`) and for a queryset (`overdue_condition`).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import format_date

DEFAULT_MONTHS = 6


class ReviewRhythm(models.IntegerChoices):
    MONTHLY = 1, _("Tous les mois")
    QUARTERLY = 3, _("Tous les 3 mois")
    HALF_YEARLY = 6, _("Tous les 6 mois")
    YEARLY = 12, _("Tous les ans")


def review_rhythm_field() -> models.PositiveSmallIntegerField:
    """The rhythm field, the same on every model kept by a centre."""
    return models.PositiveSmallIntegerField(
        _("rythme de mise à jour"),
        choices=ReviewRhythm,
        default=DEFAULT_MONTHS,
        help_text=_(
            "Au-delà, la page publique signale des informations à vérifier et le centre "
            "reçoit un rappel par courriel."
        ),
    )


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoff(months: int, today: date | None = None) -> date:
    """Content last updated or checked before this day is due."""
    return months_before(today or timezone.localdate(), months)


def overdue_condition(
    today: date | None = None,
    *,
    updated_field: str = "updated_at",
    checked_field: str = "last_reviewed",
    rhythm_field: str = "review_every_months",
) -> Q:
    """Rows whose last update and last check are both older than their rhythm."""
    today = today or timezone.localdate()
    condition = Q(pk__in=[])
    for months in ReviewRhythm.values:
        limit = cutoff(months, today)
        start_of_limit = timezone.make_aware(datetime.combine(limit, time.min))
        condition |= Q(**{rhythm_field: months, f"{updated_field}__lt": start_of_limit}) & (
            Q(**{f"{checked_field}__isnull": True}) | Q(**{f"{checked_field}__lt": limit})
        )
    return condition


@dataclass(frozen=True)
class Freshness:
    """What a public page says about how fresh its information is."""

    updated: date | None
    checked: date | None
    months: int
    today: date

    @classmethod
    def of(cls, obj, today: date | None = None) -> "Freshness":
        updated = timezone.localdate(obj.updated_at) if obj.updated_at else None
        return cls(
            updated=updated,
            checked=obj.last_reviewed,
            months=obj.review_every_months,
            today=today or timezone.localdate(),
        )

    @property
    def latest(self) -> date | None:
        return max((d for d in (self.updated, self.checked) if d), default=None)

    @property
    def is_overdue(self) -> bool:
        latest = self.latest
        return latest is None or latest < cutoff(self.months, self.today)

    @property
    def updated_text(self) -> str:
        return format_date(self.updated, weekday=False) if self.updated else ""

    @property
    def checked_text(self) -> str:
        return format_date(self.checked, weekday=False) if self.checked else ""
