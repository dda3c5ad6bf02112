"""The trials side of the review desk and of the reminders: trials whose registry
status changed, trials not read again from the registry for a month, and
registry sites that match no centre.

``centre_ids`` limits the trials to those with a site at these centres (None: all).
"""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Trial, TrialSite, UnmatchedSite

REREAD_MAX_AGE = timedelta(days=30)


def trials_to_recheck(centre_ids=None, *, now: datetime | None = None) -> QuerySet:
    """Trials flagged by the import (status or dates changed in the registry), and
    registry trials not read from ClinicalTrials.gov for a month (demo ones aside)."""
    limit = (now or timezone.now()) - REREAD_MAX_AGE
    stale = Q(source=Trial.Source.REGISTRY, is_demo=False) & (
        Q(last_imported_at__isnull=True) | Q(last_imported_at__lt=limit)
    )
    trials = Trial.objects.filter(Q(needs_review=True) | stale)
    if centre_ids is not None:
        sites = TrialSite.objects.filter(centre__in=centre_ids)
        trials = trials.filter(pk__in=sites.values("trial_id"))
    return trials.order_by("nct_number", "pk")


def unmatched_sites() -> QuerySet:
    """Registry sites that match no centre and are not known to be outside the
    network (the pilot staff's list: they belong to no centre)."""
    return (
        UnmatchedSite.objects.filter(centre__isnull=True, centre_confirmed=False)
        .select_related("trial")
        .order_by("facility_name", "pk")
    )
