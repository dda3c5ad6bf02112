"""Imports leave a version per row they write, with the reason and, from the
admin, the user."""

import io
from datetime import date

from django.core.management import call_command

from rcp.models import RcpActivity
from rcp.services import import_activity_csv
from tests.rcp.factories import make_activity, make_rcp
from tests.trials.factories import fixture_path
from trials.models import Trial

HEADER = (
    "rcp;date;dossiers_discutes;premieres_presentations;medecins_presents;"
    "specialites_representees;centres_representes\n"
)


def test_activity_import_records_who_and_why(db, pilot_user):
    rcp = make_rcp(slug="recours-pancreas", first_date=date(2025, 1, 7))
    make_activity(rcp, date(2026, 11, 3), files_discussed=3)
    raw = (
        HEADER
        + "recours-pancreas;2026-11-03;12;8;11;5;4\n"
        + "recours-pancreas;10/11/2026;9;6;10;5;3\n"
    ).encode()
    result = import_activity_csv(raw=raw, user=pilot_user, reason="Import CSV de l’activité")
    assert (result.created, result.updated) == (1, 1)
    updated = RcpActivity.objects.get(date=date(2026, 11, 3))
    version = updated.history.latest()
    assert (version.history_type, version.files_discussed) == ("~", 12)
    assert (version.history_user, version.history_change_reason) == (
        pilot_user,
        "Import CSV de l’activité",
    )
    created = RcpActivity.objects.get(date=date(2026, 11, 10)).history.get()
    assert (created.history_type, created.history_user) == ("+", pilot_user)


def test_activity_command_names_itself_as_the_reason(db, tmp_path):
    make_rcp(slug="recours-pancreas", first_date=date(2025, 1, 7))
    path = tmp_path / "seances.csv"
    path.write_text(HEADER + "recours-pancreas;2026-11-03;12;8;11;5;4\n", encoding="utf-8")
    call_command("import_rcp_activity", str(path), stdout=io.StringIO())
    version = RcpActivity.objects.get().history.get()
    assert version.history_user is None  # the system
    assert version.history_change_reason == "Import CSV de l’activité (commande, seances.csv)"


def test_import_ctgov_leaves_one_version_per_trial_with_axes_and_reason(db, axes):
    path = fixture_path("pancreas_study.json")
    call_command("import_ctgov", path, stdout=io.StringIO(), stderr=io.StringIO())
    trial = Trial.objects.get(nct_number="NCT09900101")
    version = trial.history.get()
    assert version.history_type == "+"
    assert version.history_change_reason == f"Import ClinicalTrials.gov ({path})"
    assert [r.axis.slug for r in version.axes.all()] == ["pancreas"]
    site_versions = [site.history.get() for site in trial.sites.all()]
    assert site_versions
    assert {v.history_change_reason for v in site_versions} == {
        f"Import ClinicalTrials.gov ({path})"
    }
