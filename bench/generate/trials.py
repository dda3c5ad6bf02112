"""Bench trials: thousands of fictional trials and sites, fast.

`build()` is called by the project's `bench_data` command, after the centres
exist. Rows are written with bulk_create (no history). The trials are marked demonstration and carry
NCT numbers from NCT09910000 up, in the fictional block the demo uses
(NCT099xxxxx) but above the demo's own numbers. A second run replaces them.
"""

import random
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

from centres.models import Axis, Centre
from trials.models import Phase, Setting, Status, Trial, TrialSite

FIRST_NCT = 10000  # NCT09910000
BATCH = 1000
WORDS = {
    "pancreas": (
        "Pancreatic Adenocarcinoma",
        "pancréas",
        ["FOLFIRINOX", "gemcitabine", "nab-paclitaxel", "olaparib", "radiothérapie stéréotaxique"],
    ),
    "oesophage": (
        "Esophageal Cancer",
        "œsophage",
        ["FLOT", "nivolumab", "carboplatine", "œsophagectomie", "curiethérapie"],
    ),
    "foie-voies-biliaires": (
        "Hepatocellular Carcinoma",
        "foie",
        ["atézolizumab", "bévacizumab", "chimio-embolisation", "cholangiocarcinome", "FGFR2"],
    ),
}
STATUSES = [Status.RECRUITING] * 6 + [
    Status.NOT_YET_RECRUITING,
    Status.ACTIVE_NOT_RECRUITING,
    Status.COMPLETED,
    Status.SUSPENDED,
]
SITE_STATUSES = ["", "", Status.RECRUITING, Status.RECRUITING, Status.NOT_YET_RECRUITING]


def nct(i: int) -> str:
    return f"NCT099{FIRST_NCT + i:05d}"


def _delete_previous() -> None:
    """Remove an earlier bench run in three statements.

    Plain SQL: a queryset delete would send a signal per row (history),
    minutes for 25,000 rows that never had a history anyway.
    """
    trial_ids = f"SELECT id FROM {Trial._meta.db_table} WHERE nct_number BETWEEN %s AND %s"
    bounds = [nct(0), "NCT09999999"]
    with connection.cursor() as cursor:
        for model in (Trial.axes.through, TrialSite):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE trial_id IN ({trial_ids})", bounds
            )
        cursor.execute(f"DELETE FROM {Trial._meta.db_table} WHERE id IN ({trial_ids})", bounds)


@transaction.atomic
def build(*, stdout, trials: int = 5000, sites: int = 20000) -> None:
    """Replace the bench trials with `trials` trials and about `sites` sites over the centres."""
    centre_ids = list(Centre.objects.order_by("pk").values_list("pk", flat=True))
    axes = list(Axis.objects.order_by("order"))
    if not centre_ids or not axes:
        stdout.write("Essais (banc) : pas de centres ou d’axes en base, rien à créer.")
        return
    _delete_previous()

    rng = random.Random(20251123)
    rows, axis_of = [], []
    for i in range(trials):
        axis = axes[i % len(axes)]
        condition, label, treatments = WORDS.get(axis.slug, ("Cancer", axis.short_name, ["x"]))
        treatment = rng.choice(treatments)
        trial = Trial(
            nct_number=nct(i),
            plain_title=f"Essai de banc {i} : {treatment} pour un cancer du {label}",
            brief_title=f"Bench Study {i} of {treatment} in {condition}",
            acronym=f"BENCH-{i}",
            conditions=condition,
            interventions=treatment,
            status=rng.choice(STATUSES),
            phase=rng.choice(Phase.values),
            setting=rng.choice(Setting.values),
            source=Trial.Source.MANUAL,
            is_published=True,
            is_demo=True,
            # The registry's age limits and the last status change (finder, feeds).
            min_age=rng.choice([None, 18, 18, 18, 40]),
            max_age=rng.choice([None, None, 75, 80, 85]),
            status_changed_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=i),
        )
        trial.search_text = trial.compute_search_text()
        rows.append(trial)
        axis_of.append(axis)
    Trial.objects.bulk_create(rows, batch_size=BATCH)
    # bulk_create sets pks on PostgreSQL and SQLite >= 3.35; fetch them to be safe.
    pks = dict(
        Trial.objects.filter(nct_number__in=[t.nct_number for t in rows]).values_list(
            "nct_number", "pk"
        )
    )
    through = Trial.axes.through
    through.objects.bulk_create(
        [
            through(trial_id=pks[t.nct_number], axis_id=a.pk)
            for t, a in zip(rows, axis_of, strict=True)
        ],
        batch_size=BATCH,
    )

    per_trial, extra = divmod(sites, max(trials, 1))
    site_rows = []
    for index, trial in enumerate(rows):
        count = min(per_trial + (1 if index < extra else 0), len(centre_ids))
        for centre_id in rng.sample(centre_ids, count):
            site_rows.append(
                TrialSite(
                    trial_id=pks[trial.nct_number],
                    centre_id=centre_id,
                    status=rng.choice(SITE_STATUSES),
                    source=TrialSite.Source.MANUAL,
                )
            )
    TrialSite.objects.bulk_create(site_rows, batch_size=BATCH)
    if connection.vendor == "postgresql":
        # Statistics for the planner, as a database in use has them (without them it
        # scans 16,000 sites for a finder page's 20 trials).
        with connection.cursor() as cursor:
            for model in (Trial, Trial.axes.through, TrialSite):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    stdout.write(f"Essais (banc) : {len(rows)} essais et {len(site_rows)} lieux créés.")
