"""Factories of the rcp tests: `make_rcp(**overrides)` and friends."""

import itertools
from datetime import date, time

from rcp.models import Rcp, RcpActivity, RcpException
from tests import factories

_seq = itertools.count(1)


def make_rcp(*, axes=(), participants=(), **overrides) -> Rcp:
    """A published weekly RCP (Tuesdays 14:00, Paris) organised by a new centre."""
    n = next(_seq)
    fields = {
        "name": f"RCP de test {n}",
        "slug": f"rcp-test-{n}",
        "scope": Rcp.Scope.REGIONAL,
        "mode": Rcp.Mode.VIDEO,
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "first_date": date(2026, 1, 6),
        "start_time": time(14, 0),
        "duration_minutes": 120,
        "timezone": "Europe/Paris",
        "deadline_days_before": 2,
        "deadline_time": time(12, 0),
    }
    fields.update(overrides)
    if "organiser" not in fields:
        fields["organiser"] = factories.make_centre()
    rcp = Rcp(**fields)
    rcp.full_clean()
    rcp.save()
    if axes:
        rcp.axes.set(axes)
    if participants:
        rcp.participants.set(participants)
    return rcp


def make_exception(rcp: Rcp, original_date: date, **overrides) -> RcpException:
    fields = {"rcp": rcp, "original_date": original_date, "kind": RcpException.Kind.CANCELLED}
    fields.update(overrides)
    exception = RcpException(**fields)
    exception.full_clean()
    exception.save()
    return exception


def make_activity(rcp: Rcp, day: date, **overrides) -> RcpActivity:
    fields = {
        "rcp": rcp,
        "date": day,
        "files_discussed": 10,
        "first_presentations": 6,
        "doctors_present": 8,
        "specialties_present": 4,
        "centres_represented": 2,
    }
    fields.update(overrides)
    fields["first_presentations"] = min(fields["first_presentations"], fields["files_discussed"])
    return RcpActivity.objects.create(**fields)
