"""Bench RCPs: hundreds of RCPs with schedules, exceptions
and a year of activity, written fast.

`build()` is called by the project's `bench_data` command after the centres
and people exist. Rows are written with bulk_create (no history). The RCPs are marked demonstration
and their slugs start with ``banc-``; a second run replaces them.
"""

import random
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from centres.models import Axis, Centre, Person
from rcp import recurrence
from rcp.models import Rcp, RcpActivity, RcpException

PREFIX = "banc-"
BATCH = 2000
ZONES = ["Europe/Paris"] * 19 + [
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
]
RULES = [
    "FREQ=WEEKLY;BYDAY={d}",
    "FREQ=WEEKLY;BYDAY={d}",
    "FREQ=WEEKLY;BYDAY={d}",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY={d}",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY={d}",
    "FREQ=MONTHLY;BYDAY=1{d},3{d}",
    "FREQ=MONTHLY;BYDAY=-1{d}",
    "FREQ=WEEKLY;BYDAY={d};BYMONTH=1,2,3,4,5,6,7,9,10,11,12",
]
DAYS = ["MO", "TU", "WE", "TH", "FR"]
SCOPES = (
    [Rcp.Scope.REGIONAL] * 5 + [Rcp.Scope.LOCAL] * 3 + [Rcp.Scope.RECOURSE, Rcp.Scope.MOLECULAR]
)
MODES = [Rcp.Mode.VIDEO] * 3 + [Rcp.Mode.HYBRID, Rcp.Mode.ON_SITE]


def _delete_previous() -> None:
    previous = Rcp.objects.filter(slug__startswith=PREFIX)
    RcpActivity.objects.filter(rcp__in=previous).delete()
    RcpException.objects.filter(rcp__in=previous).delete()
    Rcp.participants.through.objects.filter(rcp__in=previous).delete()
    Rcp.axes.through.objects.filter(rcp__in=previous).delete()
    previous.delete()


@transaction.atomic
def build(*, stdout, rcps: int = 500) -> None:
    """Replace the bench RCPs with `rcps` RCPs over the centres and people in base."""
    centres = list(Centre.objects.order_by("pk").values_list("pk", "short_name", "name"))
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    axes = list(Axis.objects.order_by("order").values_list("pk", flat=True))
    if not centres or not axes:
        stdout.write("RCP (banc) : pas de centres ou d’axes en base, rien à créer.")
        return
    _delete_previous()
    rng = random.Random(20261123)
    today = timezone.localdate()
    start = date(today.year - 1, 1, 1)

    new = []
    for i in range(rcps):
        centre_pk, short_name, name = centres[i % len(centres)]
        rule_text = rng.choice(RULES).format(d=rng.choice(DAYS))
        rule = recurrence.parse(rule_text)
        first_date = recurrence.first_after(rule, start, start)
        rcp = Rcp(
            name=f"RCP de banc {i} — {short_name or name}",
            slug=f"{PREFIX}{i}",
            scope=rng.choice(SCOPES),
            organiser_id=centre_pk,
            coordinator_id=rng.choice(people) if people else None,
            secretariat_email=f"rcp-banc-{i}@example.org",
            mode=rng.choice(MODES),
            place="Salle de staff" if i % 3 else "",
            video_url=f"https://visio.example.org/banc-{i}",
            video_url_is_public=i % 10 == 0,
            submission="Envoyez la fiche au secrétariat avant la date limite.",
            deadline_days_before=rng.choice([1, 2, 2, 3, 7]),
            deadline_time=time(rng.choice([10, 12, 12, 16]), 0),
            rrule=str(rule),
            first_date=first_date,
            start_time=time(rng.choice([8, 12, 13, 14, 17]), rng.choice([0, 30])),
            duration_minutes=rng.choice([60, 90, 120]),
            timezone=rng.choice(ZONES),
            is_published=i % 50 != 49,
            is_demo=True,
        )
        rcp.normalise_fields()
        new.append(rcp)
    created = Rcp.objects.bulk_create(new, batch_size=BATCH)

    axis_rows, participant_rows, exception_rows, activity_rows = [], [], [], []
    for i, rcp in enumerate(created):
        for axis_pk in rng.sample(axes, k=1 + (i % 3 == 0)):
            axis_rows.append(Rcp.axes.through(rcp_id=rcp.pk, axis_id=axis_pk))
        for centre_pk, _short, _name in rng.sample(centres, k=min(len(centres), rng.randint(0, 4))):
            if centre_pk != rcp.organiser_id:
                participant_rows.append(
                    Rcp.participants.through(rcp_id=rcp.pk, centre_id=centre_pk)
                )
        rule = recurrence.parse(rcp.rrule)
        coming = recurrence.dates_between(rule, rcp.first_date, today, today + timedelta(days=180))
        if i % 3 == 0 and len(coming) > 3:
            exception_rows.append(
                RcpException(
                    rcp=rcp,
                    original_date=coming[1],
                    kind=RcpException.Kind.CANCELLED,
                    note="Congrès",
                )
            )
            exception_rows.append(
                RcpException(
                    rcp=rcp,
                    original_date=coming[3],
                    kind=RcpException.Kind.MOVED,
                    new_date=coming[3] + timedelta(days=1),
                    note="Salle indisponible",
                )
            )
        held = recurrence.dates_between(rule, rcp.first_date, today - timedelta(days=365), today)
        for day in held[:-1] if held and held[-1] == today else held:
            files = rng.randint(3, 25)
            activity_rows.append(
                RcpActivity(
                    rcp=rcp,
                    date=day,
                    files_discussed=files,
                    first_presentations=rng.randint(0, files),
                    doctors_present=rng.randint(4, 16),
                    specialties_present=rng.randint(3, 7),
                    centres_represented=rng.randint(1, 6),
                    source=RcpActivity.Source.DEMO,
                )
            )
    Rcp.axes.through.objects.bulk_create(axis_rows, batch_size=BATCH)
    Rcp.participants.through.objects.bulk_create(participant_rows, batch_size=BATCH)
    RcpException.objects.bulk_create(exception_rows, batch_size=BATCH)
    RcpActivity.objects.bulk_create(activity_rows, batch_size=BATCH)
    stdout.write(
        f"RCP (banc) : {len(created)} RCP, {len(exception_rows)} séances annulées ou déplacées, "
        f"{len(activity_rows)} séances tenues."
    )
