"""Demonstration trials: about forty fictional trials across the three axes
(demo/data/trials.json).

Each trial is first written as ClinicalTrials.gov API v2 JSON and goes
through the same import code as a real registry file; then the fields staff
write by hand (French title, summary, key eligibility, axes, setting,
publication) are set, as an editor would in the admin.

Everything is fictional and marked so: `is_demo=True` (the pages say it),
NCT numbers in the block NCT09900001-NCT09900099 that ClinicalTrials.gov has
not reached, EU CT numbers of the year 2099, investigators drawn from the
fictional names, phone numbers from the ARCEP fiction ranges, e-mails at
example.org. Sites are the centres, looked up by slug; a missing centre is
skipped, and without any centre nothing is loaded.

By default only the trials missing from the database are imported; on reset,
every demo trial is imported again and its staff fields put back.
"""

import random
from datetime import date
from typing import NamedTuple

from centres.models import Axis, Centre
from core.text import typo
from trials.models import Trial
from trials.services import CentreMatcher, ImportReport, import_document

from . import Writer
from .fiction import DEMO_EMAIL_DOMAIN, FICTION_PHONE_PREFIXES, names, phone_zone, read_json

NCT_BLOCK = "NCT099"


class DemoTrial(NamedTuple):
    n: int
    axis: str  # an axis slug
    acronym: str
    phases: str  # "PHASE3", "PHASE1 PHASE2", "NA", "" (observational)
    status: str
    setting: str
    sponsor: str  # a key of the table's sponsors
    title_en: str
    conditions: str  # "; "-separated
    interventions: str  # "; "-separated
    ages: tuple[int | None, int | None]
    dates: str  # "start|primary completion|last registry update"
    sites: str  # centre slugs; "slug*" is not yet recruiting there; "+key" outside the network
    plain_title: str
    summary: str
    eligibility: str  # "; "-separated points


def _table() -> dict:
    data = read_json("trials.json")
    data["trials"] = [DemoTrial(**{**row, "ages": tuple(row["ages"])}) for row in data["trials"]]
    data["reviewed_on"] = date.fromisoformat(data["reviewed_on"])
    return data


def demo_trials() -> list[DemoTrial]:
    return _table()["trials"]


def nct(n: int) -> str:
    return f"{NCT_BLOCK}{n:05d}"


def _fiction_phone(centre: Centre, rng: random.Random) -> str:
    prefix = FICTION_PHONE_PREFIXES[phone_zone(centre.department)]
    return f"{prefix} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _person(rng: random.Random) -> str:
    people = names()
    first = rng.choice(people["first_names_f"] + people["first_names_m"])
    return f"Dr {first} {rng.choice(people['last_names'])}"


def _date_struct(value: str) -> dict:
    return {"date": value, "type": "ESTIMATED" if value > "2026-11" else "ACTUAL"}


def _ages(ages) -> dict:
    low, high = ages
    result = {}
    if low is not None:
        result["minimumAge"] = f"{low} Years"
    if high is not None:
        result["maximumAge"] = f"{high} Years"
    return result


def _location(slug: str, trial: DemoTrial, centres: dict, outside: dict) -> dict | None:
    """A registry location: a demo centre by its name, or a facility outside the network."""
    rng = random.Random(f"pan-together-trial:{trial.n}:{slug}")
    if slug.startswith("+"):
        name, city, postcode = outside[slug[1:]]
        return {
            "facility": name,
            "status": trial.status,
            "city": city,
            "zip": postcode,
            "country": "France",
        }
    not_yet = slug.endswith("*")
    centre = centres.get(slug.rstrip("*"))
    if centre is None:
        return None
    if trial.status == "RECRUITING":
        status = "NOT_YET_RECRUITING" if not_yet else "RECRUITING"
    else:
        status = trial.status
    return {
        "facility": centre.name,
        "status": status,
        "city": centre.city,
        "zip": centre.postcode,
        "country": "France",
        "contacts": [
            {"name": _person(rng), "role": "PRINCIPAL_INVESTIGATOR"},
            {
                "name": "Unité de recherche clinique",
                "role": "CONTACT",
                "phone": _fiction_phone(centre, rng),
                "email": f"essais.{centre.slug}@{DEMO_EMAIL_DOMAIN}",
            },
        ],
        "geoPoint": {"lat": centre.latitude, "lon": centre.longitude},
    }


def study_json(trial: DemoTrial, centres: dict, table: dict) -> dict:
    """The trial as ClinicalTrials.gov API v2 would give it (fictional content)."""
    start, completion, updated = trial.dates.split("|")
    sponsor, sponsor_class = table["sponsors"][trial.sponsor]
    conditions = trial.conditions.split("; ")
    interventions = trial.interventions.split("; ")
    locations = [
        loc
        for slug in trial.sites.split()
        if (loc := _location(slug, trial, centres, table["outside_facilities"])) is not None
    ]
    study_type = "OBSERVATIONAL" if not trial.phases else "INTERVENTIONAL"
    age_text = f"Age {trial.ages[0]} years or older" if trial.ages[0] else "Adults"
    criteria = (
        "Inclusion Criteria:\n\n"
        + "".join(f"* {c}\n" for c in conditions)
        + f"* {age_text}\n* ECOG performance status 0-1\n* Signed informed consent\n\n"
        "Exclusion Criteria:\n\n* Other active cancer\n* Pregnancy or breastfeeding\n"
    )
    return {
        "protocolSection": {
            "identificationModule": {
                "nctId": nct(trial.n),
                "orgStudyIdInfo": {"id": f"DEMO-{trial.acronym}"},
                "secondaryIdInfos": (
                    [{"id": f"2099-5{trial.n:05d}-12-00", "type": "CTIS"}]
                    if trial.phases and trial.phases != "NA"
                    else []
                ),
                "organization": {"fullName": sponsor, "class": sponsor_class},
                "briefTitle": trial.title_en,
                "officialTitle": f"{trial.title_en}: a Fictional Demonstration Study",
                "acronym": trial.acronym,
            },
            "statusModule": {
                "overallStatus": trial.status,
                "startDateStruct": _date_struct(start),
                "primaryCompletionDateStruct": _date_struct(completion),
                "lastUpdatePostDateStruct": {"date": updated, "type": "ACTUAL"},
            },
            "sponsorCollaboratorsModule": {
                "leadSponsor": {"name": sponsor, "class": sponsor_class}
            },
            "descriptionModule": {
                "briefSummary": (
                    f"Fictional study for the PAN-TOGETHER portal demonstration: {trial.title_en}."
                )
            },
            "conditionsModule": {"conditions": conditions},
            "designModule": {
                "studyType": study_type,
                "phases": trial.phases.split() if trial.phases else [],
                "enrollmentInfo": {"count": 40 + trial.n * 13 % 400, "type": "ESTIMATED"},
            },
            "armsInterventionsModule": {
                "interventions": [{"type": "OTHER", "name": name} for name in interventions]
            },
            "eligibilityModule": {
                "eligibilityCriteria": criteria,
                "sex": "ALL",
                **_ages(trial.ages),
            },
            "contactsLocationsModule": {"locations": locations},
        },
        # A full record, as the API gives it without `fields=` (see ctgov.is_full_record).
        "derivedSection": {"miscInfoModule": {"versionHolder": updated}},
        "hasResults": False,
    }


def _manual_fields(trial: DemoTrial, reviewed_on: date) -> dict:
    """What the network's staff would write in the admin."""
    points = "\n".join(f"- {typo(point)}" for point in trial.eligibility.split("; "))
    return {
        "plain_title": typo(trial.plain_title),
        "plain_summary": typo(trial.summary),
        "key_eligibility": points,
        "setting": trial.setting,
        "is_published": True,
        "is_demo": True,
        "last_reviewed": reviewed_on,
        "needs_review": False,
        "review_note": "",
    }


def load(writer: Writer) -> str:
    """Import the missing demo trials through the registry import, then add the staff's
    fields (on reset: every demo trial, fields put back)."""
    centres = {c.slug: c for c in Centre.objects.select_related("department__region")}
    if not centres:
        return typo("Essais : aucun centre en base, essais de démonstration non chargés.")
    table = _table()
    axes = {a.slug: a for a in Axis.objects.all()}
    existing = {t.nct_number: t for t in Trial.objects.filter(nct_number__startswith=NCT_BLOCK)}
    if writer.reset:
        specs = [
            s for s in table["trials"] if nct(s.n) not in existing or existing[nct(s.n)].is_demo
        ]
    else:
        specs = [s for s in table["trials"] if nct(s.n) not in existing]
    report = ImportReport()
    if specs:
        page = {"studies": [study_json(spec, centres, table) for spec in specs]}
        import_document(page, source="démonstration", report=report, matcher=CentreMatcher())
    if report.errors:
        raise RuntimeError("Demo trials do not import: " + " | ".join(report.errors))
    writer.created += len(report.created)
    if writer.reset and report.updated:
        writer.note(
            f"Essais : {len(report.updated)} remis à jour par l’import (champs du registre)"
        )
    found = {
        t.nct_number: t for t in Trial.objects.filter(nct_number__in=[nct(s.n) for s in specs])
    }
    for spec in specs:
        trial = found[nct(spec.n)]
        label = f"Essai {trial.nct_number}"
        wanted = _manual_fields(spec, table["reviewed_on"])
        changed = [name for name, value in wanted.items() if getattr(trial, name) != value]
        if changed:
            if writer.reset and trial.nct_number in existing:
                writer.note(
                    f"{label} : "
                    + ", ".join(str(Trial._meta.get_field(name).verbose_name) for name in changed)
                    + " remis"
                )
                writer.updated += 1
            for name in changed:
                setattr(trial, name, wanted[name])
            trial.full_clean()
            trial.save()
        writer.set_relation(trial, "axes", [axes[spec.axis]], label=label)
    return typo(
        f"Essais : {len(table['trials'])} de démonstration, {len(report.created)} créés ; "
        f"{len(report.unmatched)} lieux hors réseau à rapprocher dans l’admin."
    )
