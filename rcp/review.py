"""The RCP side of the review desk and of the reminders: RCPs past their update
rhythm, and RCPs whose schedule gives no meeting to come.

``centre_ids`` limits the lists to the RCPs these centres organise (None: all).
"""

from datetime import date, datetime

from django.db.models import QuerySet

from centres.freshness import overdue_condition

from .models import Rcp
from .schedule import next_meeting


def _organised_by(centre_ids) -> QuerySet:
    rcps = Rcp.objects.filter(is_published=True)
    if centre_ids is not None:
        rcps = rcps.filter(organiser__in=centre_ids)
    return rcps


def overdue_rcps(centre_ids=None, *, today: date | None = None) -> QuerySet:
    """Published RCPs whose last update and last check are older than their rhythm."""
    return (
        _organised_by(centre_ids)
        .filter(overdue_condition(today))
        .select_related("organiser")
        .order_by("name")
    )


def rcps_without_upcoming_date(centre_ids=None, *, now: datetime | None = None) -> list[Rcp]:
    """Published RCPs with no meeting to come within the schedule's horizon (a rule
    that has ended, every date cancelled...): the page offers nothing to book."""
    rcps = (
        _organised_by(centre_ids)
        .select_related("organiser__department")
        .prefetch_related("exceptions")
        .order_by("name")
    )
    return [rcp for rcp in rcps if next_meeting(rcp, now=now) is None]
