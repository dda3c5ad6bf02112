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
from core.history import record_version, short_reason

from . import ctgov, matching
from .ctgov import MappedSite, StudyError
from .models import FacilityAlias, Status, Trial, TrialSite, facility_key

# Exit status of import_ctgov (documented in the README): a cron job or a systemd
# timer alerts on anything but 0.
EXIT_OK = 0  # everything asked was read and imported
EXIT_INPUT = 1  # a file or a study could not be imported, or a trial was not read again
EXIT_USAGE = 2  # the command line is wrong (nothing was done)
EXIT_REGISTRY = 3  # the live registry could not be read (no network, refused, not JSON)

# Registry changes that need a human look (status and dates shown to patients);
# a site added, closed or whose status changed needs one too.
REVIEWED_FIELDS = ("status", "start_date", "primary_completion_date")
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
    # Older versions than the one stored (or undated ones): nothing changed.
    ignored: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    # Created unpublished in spite of --publish (no site at a network centre, no axis).
    held: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # --refresh: trials asked for by NCT number that the registry did not give back.
    not_refreshed: list[str] = field(default_factory=list)
    # The live registry could not be read (no network, refused query, not JSON).
    registry_errors: list[str] = field(default_factory=list)

    @property
    def imported(self) -> set[str]:
        """NCT numbers read from the registry and imported in this run."""
        return {*self.created, *self.updated, *self.unchanged, *self.ignored}

    @property
    def exit_code(self) -> int:
        """What the command exits with, for cron and systemd (see EXIT_CODES)."""
        if self.registry_errors:
            return EXIT_REGISTRY
        if self.errors or self.not_refreshed:
            return EXIT_INPUT
        return EXIT_OK

    def summary(self) -> str:
        text = (
            f"{len(self.created)} essai(s) créé(s), {len(self.updated)} mis à jour, "
            f"{len(self.unchanged)} inchangé(s), {len(self.ignored)} ignoré(s) "
            f"(version plus ancienne), {len(self.flagged)} à revoir ; "
            f"{len(self.unmatched)} lieu(x) en France sans centre correspondant ; "
            f"{len(self.errors) + len(self.registry_errors)} erreur(s)."
        )
        if self.not_refreshed:
            text += f" {len(self.not_refreshed)} essai(s) non vérifié(s) auprès du registre."
        return text


class CentreMatcher:
    """Finds the centre a registry facility is: by an alias staff chose, else by
    name and place (trials.matching: normalised names, rapidfuzz scores).

    Loads the centres and the aliases once (two queries per import run); each
    facility is matched once per run.
    """

    def __init__(self):
        self.aliases: dict[str, int | None] = {}
        alias_names: dict[int, list[str]] = {}
        for key, centre_id, name in FacilityAlias.objects.values_list(
            "key", "centre_id", "facility_name"
        ):
            self.aliases[key] = centre_id
            if centre_id is not None:
                alias_names.setdefault(centre_id, []).append(name)
        self.centres = [
            matching.CentreNames(
                pk=pk,
                names=[name, *([short] if short else []), *alias_names.get(pk, [])],
                city=city,
                postcode=postcode,
                latitude=latitude,
                longitude=longitude,
            )
            for pk, name, short, city, postcode, latitude, longitude in Centre.objects.values_list(
                "pk", "name", "short_name", "city", "postcode", "latitude", "longitude"
            )
        ]
        self.memo: dict[tuple, int | None] = {}

    def decided(self, site: MappedSite) -> bool:
        """Staff decided which centre this facility is, or that it is outside the network."""
        return site.key in self.aliases

    def match(self, site: MappedSite) -> int | None:
        memo_key = (site.key, site.facility_postcode, site.latitude, site.longitude)
        if memo_key not in self.memo:
            self.memo[memo_key] = self._match(site)
        return self.memo[memo_key]

    def _match(self, site: MappedSite) -> int | None:
        if site.key in self.aliases:
            return self.aliases[site.key]  # staff's decision, "outside the network" included
        facility = matching.Facility(
            name=site.facility_name,
            city=site.facility_city,
            postcode=site.facility_postcode,
            country=site.facility_country,
            latitude=site.latitude,
            longitude=site.longitude,
        )
        return matching.best_match(facility, self.centres).pk


@dataclass
class StudyOutcome:
    trial: Trial
    result: str  # "created", "updated", "unchanged" or "ignored" (an older version)
    flagged: bool
    unmatched: list[str]
    warnings: list[str]
    held: bool = False  # created unpublished in spite of --publish


@dataclass
class SiteSync:
    """What syncing a trial's sites did: whether anything changed, the changes to
    review (as in Trial.review_changes, before the new values), unmatched places."""

    changed: bool = False
    review: dict = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)


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
    file name or a page of the live API) and study, which is also the reason
    given in the history of each trial and site it writes.
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
                outcome = import_study(
                    study,
                    publish=publish,
                    matcher=matcher,
                    now=now,
                    reason=short_reason(f"Import ClinicalTrials.gov ({source})"),
                )
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
        if outcome.held:
            report.held.append(nct)
        report.unmatched += [f"{nct} : {place}" for place in outcome.unmatched]
        report.warnings += [f"{nct} : {warning}" for warning in outcome.warnings]


def import_study(
    study,
    *,
    publish: bool = False,
    matcher: CentreMatcher | None = None,
    now: datetime | None = None,
    reason: str = "Import ClinicalTrials.gov",
) -> StudyOutcome:
    """Create or update one trial and its French sites from a registry study.

    Never loses, never goes back: what the record does not mention is kept (a
    partial capture is not an empty study); a version older than the stored one
    changes nothing; sites the registry stops listing are closed, not deleted.
    Call inside a transaction (`import_document` does). Raises `StudyError` or
    `ValidationError`; nothing is half-written when it does, within the transaction.
    """
    mapped = ctgov.map_study(study)
    matcher = matcher or CentreMatcher()
    now = now or timezone.now()
    trial = Trial.objects.filter(nct_number=mapped.nct_number).first()
    if trial is None:
        return _create(mapped, publish=publish, matcher=matcher, now=now, reason=reason)
    older = _older_version(trial, mapped)
    if older:
        return StudyOutcome(
            trial=trial,
            result="ignored",
            flagged=False,
            unmatched=[],
            warnings=[*mapped.warnings, older],
        )
    changes = {
        name: (getattr(trial, name), value)
        for name, value in mapped.fields.items()
        if getattr(trial, name) != value
    }
    if trial.source != Trial.Source.REGISTRY:
        changes["source"] = (trial.source, Trial.Source.REGISTRY)
    for name, (_old, new) in changes.items():
        setattr(trial, name, new)
    if "status" in changes:
        trial.status_changed_at = now  # a new entry in the Atom feeds of the searches
    sites = _sync_sites(trial, mapped, matcher, today=timezone.localdate(now), reason=reason)
    review = {
        name: (_display(name, old), _display(name, new), Trial._meta.get_field(name).verbose_name)
        for name, (old, new) in changes.items()
        if name in REVIEWED_FIELDS
    }
    review.update(sites.review)
    flagged = _note_for_review(trial, review)
    read = "status" in mapped.fields  # the record vouches for the status as of now
    if changes or flagged:
        if read:
            trial.last_imported_at = now
        trial.full_clean()
        trial._change_reason = reason
        trial.save()
    result = "updated" if changes or sites.changed or flagged else "unchanged"
    if read and trial.last_imported_at != now:
        # The registry was read, even if nothing changed: its status is checked as of
        # now (see TrialQuerySet.status_checked). An update(): no history row.
        Trial.objects.filter(pk=trial.pk).update(last_imported_at=now)
        trial.last_imported_at = now
    return StudyOutcome(
        trial=trial,
        result=result,
        flagged=flagged,
        unmatched=sites.unmatched,
        warnings=mapped.warnings,
    )


def _create(mapped, *, publish: bool, matcher, now, reason: str) -> StudyOutcome:
    """A new registry trial, from a record that has at least a title and a status."""
    if not mapped.title():
        raise StudyError(
            "protocolSection.identificationModule.briefTitle manque : "
            "une étude sans titre ne peut être importée."
        )
    if not mapped.fields.get("status"):
        raise StudyError(
            "protocolSection.statusModule.overallStatus manque : "
            "une étude sans statut ne peut être importée."
        )
    held = _not_publishable(mapped, matcher) if publish else []
    trial = Trial(
        **{**mapped.fields, "brief_title": mapped.title()},
        source=Trial.Source.REGISTRY,
        is_published=publish and not held,
        needs_review=bool(held),
        review_note="Non publié malgré --publish : " + " ; ".join(held) + "." if held else "",
        last_imported_at=now,
        status_changed_at=now,
    )
    trial.full_clean()
    trial.skip_history_when_saving = True  # one version, with its axes
    trial.save()
    trial.axes.set(Axis.objects.filter(slug__in=mapped.axis_slugs))
    del trial.skip_history_when_saving
    record_version(trial, reason=reason, history_type="+")
    sites = _sync_sites(trial, mapped, matcher, today=timezone.localdate(now), reason=reason)
    return StudyOutcome(
        trial=trial,
        result="created",
        flagged=bool(held),
        unmatched=sites.unmatched,
        warnings=mapped.warnings,
        held=bool(held),
    )


def _not_publishable(mapped, matcher) -> list[str]:
    """Why `--publish` must not publish this new trial: the finder lists the trials
    recruiting at the network's centres, for its three cancers."""
    reasons = []
    if not any(matcher.match(place) is not None for place in mapped.sites or ()):
        reasons.append("aucun lieu dans un centre du réseau")
    if not mapped.axis_slugs:
        reasons.append("aucun des trois cancers du réseau dans ses pathologies")
    return reasons


def _older_version(trial: Trial, mapped) -> str:
    """Why this record must change nothing (an older version), or ""."""
    stored = trial.registry_updated
    if trial.source != Trial.Source.REGISTRY or stored is None:
        return ""
    given = mapped.fields.get("registry_updated")
    if given is None:
        return (
            "version sans date de mise à jour (statusModule.lastUpdatePostDateStruct) : "
            "impossible de savoir si elle est plus récente que celle du "
            f"{_french_date(stored)} déjà importée ; rien n’est changé."
        )
    if given < stored:
        return (
            f"version du registre du {_french_date(given)}, plus ancienne que celle du "
            f"{_french_date(stored)} déjà importée : rien n’est changé."
        )
    return ""


def _note_for_review(trial: Trial, review: dict) -> bool:
    """Merge this import's changes into the trial's pending ones and write its note.

    Each change keeps the value staff last saw as "old"; a value back to it drops
    the change. The note is written from the pending changes only, so the same
    registry record imported again adds nothing. True when the pending changes
    changed (the trial is then flagged for review).
    """
    pending = {key: dict(value) for key, value in trial.review_changes.items()}
    for key, (old, new, label) in review.items():
        before = pending.get(key, {}).get("old", old)
        if before == new:
            pending.pop(key, None)
        else:
            pending[key] = {"label": str(label), "old": before, "new": new}
    if pending == trial.review_changes:
        return False
    trial.review_changes = pending
    if pending:
        trial.needs_review = True
    trial.review_note = _review_note(trial, pending)
    return bool(pending)


def _review_note(trial: Trial, pending: dict) -> str:
    if not pending:
        return ""
    version = (
        f" (version du registre du {_french_date(trial.registry_updated)})"
        if trial.registry_updated
        else ""
    )
    lines = [f"Changements du registre depuis la dernière relecture{version} :"]
    order = {name: i for i, name in enumerate(REVIEWED_FIELDS)}
    for key in sorted(pending, key=lambda k: (order.get(k, len(order)), k)):
        change = pending[key]
        lines.append(f"- {change['label']} : {change['old']} → {change['new']}")
    return "\n".join(lines)


def _display(name: str, value) -> str:
    if value in ("", None):
        return "—"
    if name == "status":
        return str(Status(value).label)
    return _french_date(value)


def _french_date(value) -> str:
    return date_format(value, "j F Y")


def _site_status_label(site) -> str:
    if site.dropped_on:
        return "plus cité par le registre"
    return str(Status(site.status).label) if site.status else "statut de l’essai"


def _closed_status(trial_status: str) -> str:
    """The registry status a site gets when the registry stops listing it."""
    if trial_status == Status.NOT_YET_RECRUITING:
        return Status.WITHDRAWN  # no one was included there yet
    if trial_status in (Status.RECRUITING, Status.ENROLLING_BY_INVITATION):
        return Status.ACTIVE_NOT_RECRUITING
    if trial_status in (Status.AVAILABLE, Status.TEMPORARILY_NOT_AVAILABLE):
        return Status.NO_LONGER_AVAILABLE
    return trial_status


def _sync_sites(trial: Trial, mapped, matcher, *, today, reason: str) -> SiteSync:
    """Bring the trial's registry sites in line with the registry's French locations.

    Sites typed by staff (source manual) are left alone; so are all sites when the
    record says nothing usable about locations. A registry site keeps the centre
    staff confirmed, or gave it when the matcher finds none. A registry site the
    full record no longer lists is closed (a closed status, `dropped_on`), never
    deleted; listed again, it reopens.
    """
    sync = SiteSync()
    if mapped.sites is None:
        return sync
    existing = {
        site.registry_key: site for site in trial.sites.filter(source=TrialSite.Source.REGISTRY)
    }
    for place in mapped.sites:
        values = {name: getattr(place, name) for name in SITE_FIELDS if name in place.known}
        site = existing.pop(place.key, None)
        if site is None:
            site = TrialSite(
                trial=trial,
                centre_id=matcher.match(place),
                centre_confirmed=matcher.decided(place),
                source=TrialSite.Source.REGISTRY,
                registry_key=place.key,
                **values,
            )
            site.full_clean(exclude=["trial"])
            site._change_reason = reason
            site.save()
            sync.changed = True
            sync.review[f"site:{place.key}"] = ("—", _site_status_label(site), _site_label(site))
        else:
            before = _site_status_label(site)
            diff = {k: v for k, v in values.items() if getattr(site, k) != v}
            if site.dropped_on is not None:
                diff["dropped_on"] = None
            if not site.centre_confirmed:
                centre_id = matcher.match(place)
                if matcher.decided(place):  # an alias staff chose since
                    diff.update(centre_id=centre_id, centre_confirmed=True)
                elif centre_id and centre_id != site.centre_id:
                    diff["centre_id"] = centre_id
            if diff:
                for name, value in diff.items():
                    setattr(site, name, value)
                site.full_clean(exclude=["trial"])
                site._change_reason = reason
                site.save()
                sync.changed = True
                if "status" in diff or "dropped_on" in diff:
                    sync.review[f"site:{place.key}"] = (
                        before,
                        _site_status_label(site),
                        _site_label(site),
                    )
        if site.centre_id is None and not site.centre_confirmed:
            sync.unmatched.append(place.label)
    if mapped.is_full:
        for gone in existing.values():
            if gone.dropped_on is not None:
                continue
            before = _site_status_label(gone)
            gone.status = _closed_status(trial.status)
            gone.dropped_on = today
            gone._change_reason = reason
            gone.save()
            sync.changed = True
            sync.review[f"site:{gone.registry_key}"] = (
                before,
                _site_status_label(gone),
                _site_label(gone),
            )
    return sync


def _site_label(site: TrialSite) -> str:
    return f"lieu {site.facility_label or site.place_label}"


@transaction.atomic
def link_facility(*, site: TrialSite, centre: Centre | None) -> int:
    """Staff say this registry facility is `centre`, or outside the network (None):
    remember it (an alias the next imports follow) and apply it to every site of
    the same facility still waiting for a decision, and to `site`. Returns how many
    sites were decided."""
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
    if site not in same:
        same.append(site)
    for other in same:
        other.centre = centre
        other.centre_confirmed = True
        other.save(update_fields=["centre", "centre_confirmed"])
    return len(same)


def _validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ; ".join(
            f"{name} : {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
