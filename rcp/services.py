"""Import of RCP activity records from the CSV files regional DCC tools export.

One line per meeting held. The accepted columns, their aliases and the file
format are documented in docs/rcp-activity-csv.md. A file with any error is
rejected whole, with line-numbered messages, and nothing is written.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.text import normalise

from .models import Rcp, RcpActivity

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 50_000
MAX_ERRORS = 50

# Field -> accepted header names, normalised (lower case, no accents, "_").
COLUMNS = {
    "rcp": ("rcp", "identifiant_rcp", "code_rcp", "rcp_identifiant", "id_rcp"),
    "date": ("date", "date_rcp", "date_seance", "date_reunion"),
    "files_discussed": (
        "dossiers",
        "dossiers_discutes",
        "nb_dossiers",
        "nombre_dossiers",
        "dossiers_presentes",
    ),
    "first_presentations": (
        "premieres_presentations",
        "nb_premieres_presentations",
        "premiere_presentation",
        "nouveaux_dossiers",
    ),
    "doctors_present": ("medecins_presents", "nb_medecins", "medecins"),
    "specialties_present": (
        "specialites_representees",
        "specialites_presentes",
        "nb_specialites",
        "specialites",
    ),
    "centres_represented": ("centres_representes", "nb_centres", "centres"),
}
LABELS = {
    "rcp": "rcp",
    "date": "date",
    "files_discussed": "dossiers_discutes",
    "first_presentations": "premieres_presentations",
    "doctors_present": "medecins_presents",
    "specialties_present": "specialites_representees",
    "centres_represented": "centres_representes",
}
REQUIRED = ("date", "files_discussed", "doctors_present", "specialties_present")
# Field -> (default when the column or the cell is empty, largest plausible value).
NUMBERS = {
    "files_discussed": (None, 500),
    "first_presentations": (0, 500),
    "doctors_present": (None, 500),
    "specialties_present": (None, 50),
    "centres_represented": (1, 200),
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Errors(list):
    def add(self, line: int, message: str) -> None:
        self.append(f"Ligne {line}\u00a0: {message}")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel under Windows saves "CSV (séparateur : point-virgule)" in cp1252.
        return raw.decode("cp1252", errors="strict")


def _header_key(name: str) -> str:
    return normalise(name).replace(" ", "_")


def _parse_date(text: str) -> date | None:
    match = _ISO_DATE.match(text)
    parts = None
    if match:
        parts = int(match.group(1)), int(match.group(2)), int(match.group(3))
    else:
        match = _FRENCH_DATE.match(text)
        if match:
            parts = int(match.group(3)), int(match.group(2)), int(match.group(1))
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def _read_rows(raw: bytes, errors: _Errors):
    """(header, rows) where rows are (line number, cells); None on a fatal error."""
    if len(raw) > MAX_BYTES:
        errors.add(1, f"le fichier dépasse {MAX_BYTES // 1024 // 1024}\u00a0Mo\u00a0; découpez-le.")
        return None
    if b"\x00" in raw:
        errors.add(1, "ce fichier n’est pas un fichier texte CSV.")
        return None
    try:
        text = _decode(raw)
    except UnicodeDecodeError:
        errors.add(1, "encodage illisible\u00a0; enregistrez le fichier en UTF-8.")
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        errors.add(1, "le fichier est vide.")
        return None
    return header, reader


def import_activity_csv(
    *,
    raw: bytes,
    allowed_rcps=None,
    rcp: Rcp | None = None,
    dry_run: bool = False,
    user=None,
    reason: str = "Import CSV de l’activité",
) -> ImportResult:
    """Check a CSV file of meetings held and, if it has no error, store it.

    `allowed_rcps` limits the RCPs the file may name (an editor's own); `rcp`
    imports a file about one RCP, whose `rcp` column may then be left out.
    Lines for a meeting already recorded (same RCP, same date) update it.
    Each row created or changed gets a version in its history, by `user`
    (None: the system) with `reason`.
    """
    result = ImportResult()
    errors = _Errors()
    read = _read_rows(raw, errors)
    if read is None:
        result.errors = errors
        return result
    header, reader = read

    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _header_key(name)
        field_name = next((f for f, aliases in COLUMNS.items() if key in aliases), None)
        if field_name is None:
            if key:
                result.ignored_columns.append(name.strip())
        elif field_name in positions:
            errors.add(1, f"la colonne «\u00a0{name.strip()}\u00a0» fait double emploi.")
        else:
            positions[field_name] = index
    required = REQUIRED if rcp is not None else ("rcp", *REQUIRED)
    missing = [LABELS[f] for f in required if f not in positions]
    if missing:
        errors.add(1, "colonne obligatoire manquante\u00a0: " + ", ".join(missing) + ".")
    if errors:
        result.errors = errors
        return result

    allowed = allowed_rcps if allowed_rcps is not None else Rcp.objects.all()
    by_slug = {r.slug: r for r in allowed.only("pk", "slug", "name")}
    today = timezone.localdate()
    parsed: dict[tuple[int, date], tuple[int, dict]] = {}
    seen = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            seen += 1
            if seen > MAX_ROWS:
                errors.add(line, f"plus de {MAX_ROWS} lignes\u00a0; découpez le fichier.")
                break
            if len(errors) > MAX_ERRORS:
                break
            row = _parse_row(cells, positions, line, errors, by_slug, rcp, today)
            if row is None:
                continue
            key = (row["rcp"].pk, row["date"])
            if key in parsed:
                errors.add(
                    line,
                    f"la séance du {row['date']:%d/%m/%Y} de «\u00a0{row['rcp'].slug}\u00a0» "
                    f"figure "
                    f"déjà ligne {parsed[key][0]}.",
                )
                continue
            parsed[key] = (line, row)
    except csv.Error as exc:
        errors.add(reader.line_num, f"ligne CSV mal formée ({exc}).")
    if errors:
        extra = len(errors) - MAX_ERRORS
        result.errors = errors[:MAX_ERRORS] + (
            [f"… et {extra} autres erreurs."] if extra > 0 else []
        )
        return result
    if not parsed:
        result.errors = ["Ligne 2\u00a0: aucune séance dans le fichier."]
        return result
    _store(parsed, result, dry_run=dry_run, user=user, reason=reason)
    return result


def _parse_row(cells, positions, line, errors, by_slug, rcp, today) -> dict | None:
    def cell(name: str) -> str:
        index = positions.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    ok = True
    row: dict = {}
    slug = cell("rcp")
    if rcp is not None and (not slug or slug == rcp.slug):
        row["rcp"] = rcp
    elif rcp is not None:
        errors.add(
            line, f"la RCP «\u00a0{slug[:80]}\u00a0» n’est pas celle de cet import ({rcp.slug})."
        )
        ok = False
    elif not slug:
        errors.add(line, "la colonne rcp est vide.")
        ok = False
    elif slug not in by_slug:
        errors.add(line, f"RCP inconnue ou hors de vos droits\u00a0: «\u00a0{slug[:80]}\u00a0».")
        ok = False
    else:
        row["rcp"] = by_slug[slug]

    text = cell("date")
    day = _parse_date(text)
    if day is None:
        errors.add(
            line,
            f"date «\u00a0{text[:40]}\u00a0» illisible ou inexistante (AAAA-MM-JJ ou JJ/MM/AAAA).",
        )
        ok = False
    elif day > today:
        errors.add(line, f"la date {day:%d/%m/%Y} est dans le futur.")
        ok = False
    elif day.year < 2000:
        errors.add(line, f"la date {day:%d/%m/%Y} est antérieure à 2000.")
        ok = False
    row["date"] = day

    for name, (default, largest) in NUMBERS.items():
        text = cell(name)
        if not text:
            if default is None:
                errors.add(line, f"{LABELS[name]} est vide.")
                ok = False
            row[name] = default
            continue
        if not text.isdigit() or not text.isascii():
            errors.add(
                line,
                f"{LABELS[name]} «\u00a0{text[:40]}\u00a0» n’est pas un nombre entier positif.",
            )
            ok = False
            continue
        value = int(text)
        if value > largest:
            errors.add(line, f"{LABELS[name]} = {value} dépasse la valeur plausible ({largest}).")
            ok = False
            continue
        row[name] = value
    if ok and row["first_presentations"] > row["files_discussed"]:
        errors.add(
            line,
            f"premières présentations ({row['first_presentations']}) supérieures aux dossiers "
            f"discutés ({row['files_discussed']}).",
        )
        ok = False
    return row if ok else None


FIGURES = (
    "files_discussed",
    "first_presentations",
    "doctors_present",
    "specialties_present",
    "centres_represented",
)


@transaction.atomic
def _store(parsed: dict, result: ImportResult, *, dry_run: bool, user, reason: str) -> None:
    rcp_ids = {key[0] for key in parsed}
    days = [key[1] for key in parsed]
    existing = {
        (a.rcp_id, a.date): a
        for a in RcpActivity.objects.select_for_update().filter(
            rcp_id__in=rcp_ids, date__gte=min(days), date__lte=max(days)
        )
    }
    to_create, to_update = [], []
    for key, (_line, row) in parsed.items():
        activity = existing.get(key)
        if activity is None:
            to_create.append(
                RcpActivity(
                    rcp=row["rcp"],
                    date=row["date"],
                    source=RcpActivity.Source.IMPORT,
                    **{f: row[f] for f in FIGURES},
                )
            )
        elif any(getattr(activity, f) != row[f] for f in FIGURES):
            for f in FIGURES:
                setattr(activity, f, row[f])
            activity.source = RcpActivity.Source.IMPORT
            activity.updated_at = timezone.now()  # bulk_update skips auto_now
            to_update.append(activity)
        else:
            result.unchanged += 1
    result.created, result.updated = len(to_create), len(to_update)
    if dry_run:
        return
    bulk_create_with_history(
        to_create, RcpActivity, batch_size=1000, default_user=user, default_change_reason=reason
    )
    bulk_update_with_history(
        to_update,
        RcpActivity,
        [*FIGURES, "source", "updated_at"],
        batch_size=1000,
        default_user=user,
        default_change_reason=reason,
    )
