"""Factories of the trials tests: `make_trial(**overrides)`, `make_site(...)`, fixtures."""

import copy
import itertools
import json
from pathlib import Path

from django.conf import settings

from trials.models import Trial, TrialSite

FIXTURES = Path(settings.BASE_DIR) / "trials" / "fixtures" / "ctgov"
_seq = itertools.count(1)


def fixture_path(name: str) -> str:
    return str(FIXTURES / name)


def load_fixture(name: str):
    """A fresh copy of a JSON fixture (tests may change it)."""
    return copy.deepcopy(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def make_trial(*, axes=(), sites=(), **overrides) -> Trial:
    """A published recruiting trial with a French title; `sites` are centres."""
    n = next(_seq)
    fields = {
        "plain_title": f"Essai de test {n}",
        "brief_title": f"Test Study {n}",
        "nct_number": f"NCT0988{n:04d}",
        "status": "RECRUITING",
        "phase": "PHASE3",
        "is_published": True,
    }
    fields.update(overrides)
    trial = Trial(**fields)
    trial.full_clean()
    trial.save()
    if axes:
        trial.axes.set(axes)
    for centre in sites:
        make_site(trial, centre)
    return trial


def make_site(trial, centre=None, **overrides) -> TrialSite:
    fields = {"trial": trial, "centre": centre}
    fields.update(overrides)
    site = TrialSite(**fields)
    site.full_clean()
    site.save()
    return site


LONG_AFFILIATION = (
    "Centre hospitalier universitaire de Brest, service d’hépato-gastro-entérologie "
    "et d’oncologie digestive, unité de recherche clinique, hôpital de la Cavale Blanche, "
    "boulevard Tanguy Prigent, 29200 Brest, France"
)


def long_study():
    """The pancreas study with registry text longer than the fields."""
    data = load_fixture("pancreas_study.json")
    protocol = data["protocolSection"]
    ident = protocol["identificationModule"]
    ident["acronym"] = "PANEO-3-" + "X" * 50
    ident["orgStudyIdInfo"]["id"] = "GCOD-PANC-2023-01/" + "0123456789" * 6
    protocol["contactsLocationsModule"]["overallOfficials"][0]["affiliation"] = LONG_AFFILIATION
    protocol["contactsLocationsModule"]["centralContacts"][0].update(
        phone="+33 2 61 91 00 00 / +33 2 61 91 00 02", phoneExt="123456789"
    )
    brest = protocol["contactsLocationsModule"]["locations"][0]
    brest["contacts"][1]["phone"] = "02 61 91 00 01 ou 02 61 91 00 03 (secrétariat)"
    brest["contacts"][1]["name"] = "Attachée de recherche clinique " * 10
    return data
