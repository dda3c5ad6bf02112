"""A history version's reason fits its column on every database: an import run on
a file in a deep directory names it, and PostgreSQL refuses a reason past 100
characters (SQLite would have stored it whole, so only PostgreSQL showed it)."""

import shutil

from core.history import REASON_LENGTH, short_reason
from trials.models import Trial

from .factories import fixture_path
from .test_import import run


def test_a_short_reason_is_kept_and_a_long_one_cut_with_an_ellipsis():
    assert short_reason("Import CSV") == "Import CSV"
    long = "Import ClinicalTrials.gov (/" + "dossier/" * 20 + "etude.json)"
    cut = short_reason(long)
    assert len(cut) == REASON_LENGTH and cut.endswith("…") and long.startswith(cut[:-1])


def test_an_import_from_a_deep_path_stores_its_trial_and_a_reason_that_fits(
    network, axes, tmp_path
):
    deep = tmp_path.joinpath(*["sous-dossier-des-imports"] * 6)
    deep.mkdir(parents=True)
    source = deep / "pancreas_study.json"
    shutil.copy(fixture_path("pancreas_study.json"), source)
    assert len(str(source)) > REASON_LENGTH

    run(str(source))

    trial = Trial.objects.get(nct_number="NCT09900101")
    reasons = list(trial.history.values_list("history_change_reason", flat=True))
    assert reasons and all(len(reason) <= REASON_LENGTH for reason in reasons)
    assert reasons[0].startswith("Import ClinicalTrials.gov (")
