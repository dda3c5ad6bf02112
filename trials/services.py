"""Registry import and site matching: the workflows that write trials.

`import_document()` imports every study of a ClinicalTrials.gov API v2 document
(a file or a live page), one transaction per study, and records the outcome in
an `ImportReport`. What staff wrote by hand (French title and summary, key
eligibility, axes, setting, publication) is never touched by a re-import; a
change of status or dates in the registry flags the trial for review.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from centres.models import Axis, Centre
from core.text import normalise

from . import ctgov
from .ctgov import MappedSite, StudyError
from .models import FacilityAlias, Status, Trial, TrialSite, facility_key, normalise_city

# Registry changes that need a human look (status and dates shown to patients).
REVIEWED_FIELDS = ("status", "start_date", "primary_completion_date", "registry_updated")
SITE_FIELDS = (
    "facility_name",
    "facility_city",
    "facility_postcode",
    "facility_country",
    "status",
    "investigator",
    "contact_name",
    "contact_phone",
    "contact_email",
)


@dataclass
class ImportReport:
    """What an import did, study by study (NCT numbers), for the command's output."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # --refresh: trials asked for by NCT number that the registry did not give back.
    not_refreshed: list[str] = field(default_factory=list)

    @property
    def imported(self) -> set[str]:
        """NCT numbers read from the registry and imported in this run."""
        return {*self.created, *self.updated, *self.unchanged}

    def summary(self) -> str:
        text = (
            f"{len(self.created)} essai(s) créé(s), {len(self.updated)} mis à jour, "
            f"{len(self.unchanged)} inchangé(s), {len(self.flagged)} à revoir ; "
            f"{len(self.unmatched)} lieu(x) en France sans centre correspondant ; "
            f"{len(self.errors)} erreur(s)."
        )
        if self.not_refreshed:
            text += f" {len(self.not_refreshed)} essai(s) non vérifié(s) auprès du registre."
        return text


class CentreMatcher:
    """Finds the centre a registry facility is: by alias, then by name and city.

    Loads the aliases and the centres' names once (two queries per import run).
    """

    def __init__(self):
        self.aliases = dict(FacilityAlias.objects.values_list("key", "centre_id"))
        self.by_name: dict[str, list[tuple[int, str, str]]] = {}
        for pk, name, short, city, postcode in Centre.objects.values_list(
            "pk", "name", "short_name", "city", "postcode"
        ):
            for label in {normalise(name), normalise(short)} - {""}:
                self.by_name.setdefault(label, []).append((pk, normalise_city(city), postcode))

    def match(self, site: MappedSite) -> int | None:
        alias = self.aliases.get(site.key)
        if alias:
            return alias
        city = normalise_city(site.facility_city)
        for pk, centre_city, postcode in self.by_name.get(normalise(site.facility_name), ()):
            if (city and city == centre_city) or (
                site.facility_postcode and site.facility_postcode == postcode
            ):
                return pk
        return None


@dataclass
class StudyOutcome:
    trial: Trial
    result: str  # "created", "updated" or "unchanged"
    flagged: bool
    unmatched: list[str]
    warnings: list[str]


def import_document(
    document,
    *,
    source: str,
    report: ImportReport,
    publish: bool = False,
    matcher: CentreMatcher | None = None,
    now: datetime | None = None,
) -> None:
    """Import every study of an API v2 document (one study or a page of studies).

    One transaction per study: a study that fails leaves nothing behind and the
    others still import. Problems go to `report.errors`, named by `source` (a
    file name or a page of the live API) and study.
    """
    try:
        studies = ctgov.studies_in(document)
    except StudyError as exc:
        report.errors.append(f"{source} : {exc}")
        return
    matcher = matcher or CentreMatcher()
    for index, study in enumerate(studies, start=1):
        label = ctgov.study_label(study, index)
        try:
            with transaction.atomic():
                outcome = import_study(study, publish=publish, matcher=matcher, now=now)
        except StudyError as exc:
            report.errors.append(f"{source}, {label} : {exc}")
            continue
        except ValidationError as exc:
            report.errors.append(f"{source}, {label} : {_validation_text(exc)}")
            continue
        nct = outcome.trial.nct_number
        getattr(report, outcome.result).append(nct)
        if outcome.flagged:
            report.flagged.append(nct)
        report.unmatched += [f"{nct} : {place}" for place in outcome.unmatched]
        report.warnings += [f"{nct} : {warning}" for warning in outcome.warnings]


def import_study(
    study,
    *,
    publish: bool = False,
    matcher: CentreMatcher | None = None,
    now: datetime | None = None,
) -> StudyOutcome:
    """Create or update one trial and its French sites from a registry study.

    Call inside a transaction (`import_document` does). Raises `StudyError` or
    `ValidationError`; nothing is half-written when it does, within the transaction.
    """
    mapped = ctgov.map_study(study)
    matcher = matcher or CentreMatcher()
    now = now or timezone.now()
    trial = Trial.objects.filter(nct_number=mapped.nct_number).first()
    flagged = False
    if trial is None:
        trial = Trial(
            **mapped.fields,
            source=Trial.Source.REGISTRY,
            is_published=publish,
            last_imported_at=now,
        )
        trial.full_clean()
        trial.save()
        axes = Axis.objects.filter(slug__in=mapped.axis_slugs)
        trial.axes.set(axes)
        result = "created"
    else:
        changes = {
            name: (getattr(trial, name), value)
            for name, value in mapped.fields.items()
            if getattr(trial, name) != value
        }
        if trial.source != Trial.Source.REGISTRY:
            changes["source"] = (trial.source, Trial.Source.REGISTRY)
        result = "unchanged"
        if changes:
            for name, (_old, new) in changes.items():
                setattr(trial, name, new)
            reviewed = [name for name in REVIEWED_FIELDS if name in changes]
            if reviewed:
                flagged = True
                trial.needs_review = True
                trial.review_note = _review_line(trial, changes, reviewed, now) + (
                    "\n" + trial.review_note if trial.review_note else ""
                )
            trial.last_imported_at = now
            trial.full_clean()
            trial.save()
            result = "updated"
    sites_changed, unmatched = _sync_sites(trial, mapped.sites, matcher)
    if sites_changed and result == "unchanged":
        result = "updated"
    if trial.last_imported_at != now:
        # The registry was read, even if nothing changed: its status is checked as of
        # now (see TrialQuerySet.status_checked). An update(): no history row.
        Trial.objects.filter(pk=trial.pk).update(last_imported_at=now)
        trial.last_imported_at = now
    return StudyOutcome(
        trial=trial, result=result, flagged=flagged, unmatched=unmatched, warnings=mapped.warnings
    )


def _review_line(trial, changes, reviewed, now) -> str:
    labels = []
    for name in reviewed:
        old, new = changes[name]
        verbose = Trial._meta.get_field(name).verbose_name
        if name == "status":
            old = Status(old).label if old else "—"
            new = Status(new).label if new else "—"
        else:
            old = date_format(old, "j F Y") if old else "—"
            new = date_format(new, "j F Y") if new else "—"
        labels.append(f"{verbose} : {old} → {new}")
    stamp = date_format(timezone.localdate(now), "j F Y")
    return f"Import du {stamp} : " + " ; ".join(labels)


def _sync_sites(trial: Trial, mapped_sites: list[MappedSite], matcher) -> tuple[bool, list[str]]:
    """Bring the trial's registry sites in line with the registry's French locations.

    Sites typed by staff (source manual) are left alone. A registry site keeps
    the centre staff gave it when the matcher finds none.
    """
    existing = {
        site.registry_key: site for site in trial.sites.filter(source=TrialSite.Source.REGISTRY)
    }
    changed = False
    unmatched = []
    for mapped in mapped_sites:
        centre_id = matcher.match(mapped)
        values = {name: getattr(mapped, name) for name in SITE_FIELDS}
        site = existing.pop(mapped.key, None)
        if site is None:
            site = TrialSite(
                trial=trial,
                centre_id=centre_id,
                source=TrialSite.Source.REGISTRY,
                registry_key=mapped.key,
                **values,
            )
            site.full_clean(exclude=["trial"])
            site.save()
            changed = True
        else:
            diff = {k: v for k, v in values.items() if getattr(site, k) != v}
            if centre_id and centre_id != site.centre_id:
                diff["centre_id"] = centre_id
            if diff:
                for name, value in diff.items():
                    setattr(site, name, value)
                site.full_clean(exclude=["trial"])
                site.save()
                changed = True
        if site.centre_id is None:
            unmatched.append(mapped.label)
    for gone in existing.values():
        gone.delete()
        changed = True
    return changed, unmatched


@transaction.atomic
def link_facility(*, site: TrialSite, centre: Centre) -> int:
    """Staff say this registry facility is `centre`: remember it (an alias) and
    attach every unmatched site of the same facility to it. Returns how many."""
    key = facility_key(site.facility_name, site.facility_city)
    alias = FacilityAlias.objects.filter(key=key).first()
    if alias is None:
        alias = FacilityAlias(
            facility_name=site.facility_name, facility_city=site.facility_city, centre=centre
        )
    else:
        alias.centre = centre
    alias.save()
    same = list(TrialSite.objects.unmatched().filter(registry_key=key))
    if site.centre_id is None and site not in same:
        same.append(site)
    for other in same:
        other.centre = centre
        other.save(update_fields=["centre"])
    return len(same)


def _validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ; ".join(
            f"{name} : {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
