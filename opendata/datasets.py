"""The open datasets: centres, RCPs and trials as CSV and JSON rows, each with
its Table Schema (https://specs.frictionlessdata.io/table-schema/).

One column list per dataset says everything: the column's name, its French
title and description, its Table Schema type, and how to read it from an
object. The whole dataset (/donnees-ouvertes/) and a listing's filtered
results (« Télécharger (CSV) » on /centres/, /rcp/, /essais/) are the same
columns, so one schema describes both. Every row carries its last update
(`updated_at`); FINESS numbers are the keys that join centres, RCPs and
trial sites to other national data.

CSV as spreadsheets read it in France: UTF-8 with a byte order mark,
semicolons, a header row, CRLF line ends.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.urls import reverse
from django.utils import timezone

from rcp.schedule import next_session
from trials.models import Trial, TrialSite

from .api import querysets
from .selection import Selection

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
BATCH = 500
SEPARATOR = "|"  # between the values of a multi-valued cell


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    type: str  # Table Schema: string, integer, number, boolean, date, time, datetime
    read: Callable
    description: str = ""
    constraints: dict = field(default_factory=dict)
    format: str = ""

    def descriptor(self) -> dict:
        found = {"name": self.name, "title": self.title, "type": self.type}
        if self.description:
            found["description"] = self.description
        if self.format:
            found["format"] = self.format
        if self.constraints:
            found["constraints"] = self.constraints
        return found


def _utc(value: datetime | None) -> str | None:
    """Table Schema's default datetime form: UTC, with Z."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _joined(values: Iterable[str]) -> str:
    return SEPARATOR.join(v for v in values if v)


def _required(**extra) -> dict:
    return {"required": True, **extra}


def _session(rcp, context):
    """The RCP's next session, computed once per row (two columns read it)."""
    memo = context.setdefault("sessions", {})
    if rcp.pk not in memo:
        memo[rcp.pk] = next_session(rcp, now=context["now"])
    return memo[rcp.pk]


def _next_start(rcp, context):
    found = _session(rcp, context)
    return _utc(found.meeting.start) if found else None


def _next_deadline(rcp, context):
    found = _session(rcp, context)
    return _utc(found.reachable.deadline) if found and found.reachable else None


@dataclass(frozen=True)
class Dataset:
    slug: str  # in the URLs: centres, rcp, essais
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str
    shape: Callable
    foreign_keys: tuple[dict, ...] = ()
    # Called with each batch of objects, to attach what the columns read
    # (plain values, not model instances, for the many related rows).
    attach: Callable | None = None

    def table_schema(self, *, base_url: str = "") -> dict:
        schema = {
            "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
            "name": f"pan-together-{self.slug}",
            "title": self.title,
            "description": self.description,
            "licenses": [LICENCE],
            "fields": [column.descriptor() for column in self.columns],
            "primaryKey": self.primary_key,
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = list(self.foreign_keys)
        return schema

    def rows(self, found: Selection, *, request=None) -> Iterator[dict]:
        """One dict per object (typed values), in the selection's order, loaded
        in batches with the API's select/prefetch: constant queries per batch."""
        now = timezone.now()
        context = {"request": request, "now": now}
        offset = 0
        while True:
            batch = found.window(offset, BATCH, self.shape)
            if not batch:
                return
            if self.attach is not None:
                self.attach([obj for obj, _km in batch])
            for obj, _km in batch:
                yield {column.name: column.read(obj, context) for column in self.columns}
            context.pop("sessions", None)
            if len(batch) < BATCH:
                return
            offset += BATCH


# The public page of each dataset's rows: (route, URL keyword, attribute).
# Its URL is reversed once per download and completed per row: reverse()
# for each of 5,000 trials was a tenth of the dataset's time.
PAGE_ROUTES = {
    "centres.centre": ("centres:detail", "slug", "slug"),
    "rcp.rcp": ("rcp:detail", "slug", "slug"),
    "trials.trial": ("trials:detail", "pk", "pk"),
}
PLACEHOLDER = "0000000000"


def _url(obj, context) -> str:
    """The row's public page, as an absolute URL when there is a request."""
    label = obj._meta.label_lower
    pattern = context.setdefault("url_patterns", {}).get(label)
    if pattern is None:
        route, keyword, _attribute = PAGE_ROUTES[label]
        path = reverse(route, kwargs={keyword: PLACEHOLDER})
        request = context.get("request")
        pattern = request.build_absolute_uri(path) if request is not None else path
        context["url_patterns"][label] = pattern
    return pattern.replace(PLACEHOLDER, str(getattr(obj, PAGE_ROUTES[label][2])))


def _f(name: str) -> Callable:
    return lambda obj, _context: getattr(obj, name)


# The last columns of every dataset.
IS_DEMO = Column("is_demo", "Donnée de démonstration", "boolean", _f("is_demo"))
UPDATED_AT = Column(
    "updated_at",
    "Mise à jour",
    "datetime",
    lambda o, c: _utc(o.updated_at),
    "Dernière modification de la ligne (UTC).",
    _required(),
)

CENTRES = Dataset(
    slug="centres",
    title="Centres du réseau PAN-TOGETHER",
    description=(
        "Centres experts, référents et partenaires du réseau national des cancers digestifs "
        "de mauvais pronostic (pancréas, œsophage et jonction œso-gastrique, foie et voies "
        "biliaires), avec leurs coordonnées professionnelles, leurs axes et services."
    ),
    primary_key="slug",
    shape=querysets.centres,
    columns=(
        Column(
            "slug",
            "Identifiant",
            "string",
            _f("slug"),
            "Identifiant stable du centre sur le site.",
            _required(unique=True),
        ),
        Column(
            "finess",
            "Numéro FINESS",
            "string",
            lambda o, c: o.finess or None,
            "FINESS de l’établissement géographique : clé de rapprochement avec les "
            "données nationales.",
            {"unique": True, "pattern": "[0-9]{2}[0-9AB][0-9]{6}"},
        ),
        Column("name", "Nom", "string", _f("name"), constraints=_required()),
        Column("short_name", "Nom usuel", "string", _f("short_name")),
        Column(
            "kind",
            "Type",
            "string",
            _f("kind"),
            "pilot (pilote), referent (référent), expert ou partner (partenaire).",
            _required(enum=["pilot", "referent", "expert", "partner"]),
        ),
        Column("address", "Adresse", "string", _f("address")),
        Column(
            "postcode", "Code postal", "string", _f("postcode"), constraints={"pattern": "[0-9]{5}"}
        ),
        Column("city", "Commune", "string", _f("city")),
        Column("department_code", "Code du département", "string", lambda o, c: o.department.code),
        Column(
            "region_code",
            "Code INSEE de la région",
            "string",
            lambda o, c: o.department.region.code,
        ),
        Column("latitude", "Latitude (WGS 84)", "number", _f("latitude")),
        Column("longitude", "Longitude (WGS 84)", "number", _f("longitude")),
        Column("phone", "Téléphone", "string", _f("phone")),
        Column("email", "Courriel", "string", _f("email"), format="email"),
        Column("website", "Site web", "string", _f("website"), format="uri"),
        Column(
            "axes",
            "Axes",
            "string",
            lambda o, c: _joined(a.axis.slug for a in o.axis_links.all()),
            "Identifiants des axes, séparés par « | ».",
        ),
        Column(
            "services",
            "Services spécialisés",
            "string",
            lambda o, c: _joined(s.slug for s in o.services.all()),
            "Identifiants des services, séparés par « | ».",
        ),
        Column("url", "Page du centre", "string", _url, format="uri"),
        IS_DEMO,
        Column("last_reviewed", "Dernière relecture", "date", _f("last_reviewed")),
        UPDATED_AT,
    ),
)

RCPS = Dataset(
    slug="rcp",
    title="RCP du réseau PAN-TOGETHER",
    description=(
        "Réunions de concertation pluridisciplinaire du réseau : portée, modalité, centre "
        "organisateur (FINESS), règle de récurrence RFC 5545 (RRULE) avec heure locale et "
        "fuseau, date limite d’envoi des dossiers et prochaine séance à la date du fichier."
    ),
    primary_key="slug",
    shape=querysets.rcps,
    foreign_keys=(
        {"fields": "organiser_slug", "reference": {"resource": "centres", "fields": "slug"}},
    ),
    columns=(
        Column("slug", "Identifiant", "string", _f("slug"), constraints=_required(unique=True)),
        Column("name", "Nom", "string", _f("name"), constraints=_required()),
        Column(
            "scope",
            "Portée",
            "string",
            _f("scope"),
            constraints=_required(enum=["local", "regional", "recourse", "molecular", "other"]),
        ),
        Column(
            "mode",
            "Modalité",
            "string",
            _f("mode"),
            constraints=_required(enum=["onsite", "video", "hybrid"]),
        ),
        Column(
            "axes",
            "Axes",
            "string",
            lambda o, c: _joined(a.slug for a in o.axes.all()),
            "Identifiants des axes, séparés par « | ».",
        ),
        Column("organiser_slug", "Centre organisateur", "string", lambda o, c: o.organiser.slug),
        Column(
            "organiser_finess",
            "FINESS du centre organisateur",
            "string",
            lambda o, c: o.organiser.finess or None,
        ),
        Column(
            "participants_finess",
            "FINESS des centres participants",
            "string",
            lambda o, c: _joined(p.finess for p in o.public_participants),
            "Séparés par « | ».",
        ),
        Column("rrule", "Règle de récurrence (RRULE, RFC 5545)", "string", _f("rrule")),
        Column("first_date", "Première séance", "date", _f("first_date")),
        Column("start_time", "Heure de début (heure locale)", "time", _f("start_time")),
        Column("duration_minutes", "Durée (minutes)", "integer", _f("duration_minutes")),
        Column("timezone", "Fuseau horaire (IANA)", "string", _f("timezone")),
        Column(
            "deadline_days_before",
            "Date limite : jours avant la séance",
            "integer",
            _f("deadline_days_before"),
        ),
        Column("deadline_time", "Date limite : heure (heure locale)", "time", _f("deadline_time")),
        Column(
            "next_meeting",
            "Prochaine séance",
            "datetime",
            _next_start,
            "Prochaine séance qui a lieu, à la date du fichier (UTC).",
        ),
        Column(
            "next_deadline",
            "Date limite pour la prochaine séance ouverte",
            "datetime",
            _next_deadline,
            "Date limite de la première séance qu’un dossier peut encore atteindre (UTC).",
        ),
        Column("secretariat_phone", "Téléphone du secrétariat", "string", _f("secretariat_phone")),
        Column(
            "secretariat_mssante",
            "MSSanté du secrétariat",
            "string",
            _f("secretariat_mssante"),
            format="email",
        ),
        Column("url", "Page de la RCP", "string", _url, format="uri"),
        IS_DEMO,
        UPDATED_AT,
    ),
)


def _trial_rows(queryset):
    """What the trials dataset reads of the trial itself: the API's shape
    loaded every column of 5,000 trials (summaries, criteria) and every site
    and centre as model instances (about 50,000 of them)."""
    return queryset.only(
        "pk",
        "nct_number",
        "eu_ct_number",
        "acronym",
        "plain_title",
        "brief_title",
        "status",
        "phase",
        "setting",
        "sponsor",
        "sponsor_type",
        "start_date",
        "is_demo",
        "updated_at",
    )


def _attach_trial_links(trials) -> None:
    """Each trial's axis slugs (`axis_slugs`, in the axes' order) and the FINESS
    of its sites at published centres (`site_finess`, network sites by city as
    the API lists them): two queries of plain values per batch."""
    by_pk = {trial.pk: trial for trial in trials}
    for trial in trials:
        trial.axis_slugs, trial.site_finess = [], []
    axes = (
        Trial.axes.through.objects.filter(trial_id__in=by_pk)
        .order_by("axis__order", "axis__name", "axis_id")
        .values_list("trial_id", "axis__slug")
    )
    for trial_id, slug in axes:
        by_pk[trial_id].axis_slugs.append(slug)
    sites = (
        TrialSite.objects.filter(trial_id__in=by_pk, centre__is_published=True)
        .order_by("centre__city", "facility_city", "facility_name", "pk")
        .values_list("trial_id", "centre__finess")
    )
    for trial_id, finess in sites:
        by_pk[trial_id].site_finess.append(finess)


TRIALS = Dataset(
    slug="essais",
    title="Essais cliniques ouverts dans le réseau PAN-TOGETHER",
    description=(
        "Essais cliniques publiés par le réseau, avec leur numéro de registre, leur statut "
        "(vocabulaire ClinicalTrials.gov) et les centres du réseau où ils recrutent (FINESS)."
    ),
    primary_key="id",
    shape=_trial_rows,
    attach=_attach_trial_links,
    columns=(
        Column("id", "Identifiant", "integer", _f("pk"), constraints=_required(unique=True)),
        Column(
            "nct_number",
            "Numéro NCT",
            "string",
            lambda o, c: o.nct_number or None,
            constraints={"pattern": "NCT[0-9]{8}"},
        ),
        Column("eu_ct_number", "Numéro EU CT", "string", lambda o, c: o.eu_ct_number or None),
        Column("acronym", "Acronyme", "string", _f("acronym")),
        Column(
            "title",
            "Titre",
            "string",
            lambda o, c: o.display_title,
            "Titre en français pour les patients, sinon celui du registre.",
        ),
        Column("status", "Statut", "string", _f("status"), "Vocabulaire de ClinicalTrials.gov."),
        Column("phase", "Phase", "string", _f("phase")),
        Column("setting", "Situation de la maladie", "string", _f("setting")),
        Column(
            "axes",
            "Axes",
            "string",
            lambda o, c: _joined(o.axis_slugs),
            "Identifiants des axes, séparés par « | ».",
        ),
        Column("sponsor", "Promoteur", "string", _f("sponsor")),
        Column("sponsor_type", "Type de promoteur", "string", _f("sponsor_type")),
        Column("start_date", "Début", "date", _f("start_date")),
        Column(
            "sites_finess",
            "FINESS des centres du réseau où l’essai a lieu",
            "string",
            lambda o, c: _joined(dict.fromkeys(o.site_finess)),
            "Séparés par « | ».",
        ),
        Column("url", "Page de l’essai", "string", _url, format="uri"),
        Column(
            "registry_url",
            "Fiche du registre",
            "string",
            lambda o, c: o.ctgov_url or None,
            format="uri",
        ),
        IS_DEMO,
        UPDATED_AT,
    ),
)

DATASETS = {dataset.slug: dataset for dataset in (CENTRES, RCPS, TRIALS)}


def cell(value) -> str:
    """A value as the CSV writes it (Table Schema's default formats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_lines(dataset: Dataset, rows: Iterable[dict]) -> Iterator[str]:
    """The CSV text, a few lines at a time: the byte order mark, the header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.name for column in dataset.columns])
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([cell(row[column.name]) for column in dataset.columns])
        yield buffer.getvalue()


def json_value(value):
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value
