"""Validators for what an RCP publishes: its rule, its slug, its case form."""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import recurrence

CASE_FORM_MAX_BYTES = 5 * 1024 * 1024
# Extension -> (kind of content detected, content type served).
CASE_FORM_TYPES = {
    "pdf": ("pdf", "application/pdf"),
    "doc": ("ole", "application/msword"),
    "xls": ("ole", "application/vnd.ms-excel"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# Paths of the public pages under /rcp/ that an RCP slug must not take.
RESERVED_SLUGS = frozenset(
    {
        "calendrier",
        "indicateurs",
        "agenda",
        "axe",
        "centre",
        "flux",
        "echeances",
        "abonnement",
        "quelle-rcp",
        "selection",
    }
)
# Domain names reserved for examples and tests (RFC 2606, RFC 6761): never
# delivered, so the demonstration's fictional addresses may use them.
_RESERVED_DOMAINS = ("example.org", "example.com", "example.net")
_RESERVED_SUFFIXES = (".example", ".invalid", ".test")


def validate_rrule(value: str) -> None:
    """A recurrence rule we can expand (see rcp.recurrence)."""
    try:
        recurrence.parse(value)
    except recurrence.RuleError as exc:
        raise ValidationError(
            _("Règle de récurrence refusée\u00a0: %(reason)s"),
            params={"reason": str(exc)},
            code="rrule",
        ) from exc


def validate_mssante(value: str) -> None:
    """A secure health-messaging address: its domain is mssante.fr or one of its
    subdomains. Files with patient data must never go to an ordinary mailbox."""
    domain = value.rpartition("@")[2].lower()
    if (
        domain == "mssante.fr"
        or domain.endswith(".mssante.fr")
        or any(domain == d or domain.endswith(f".{d}") for d in _RESERVED_DOMAINS)
        or domain.endswith(_RESERVED_SUFFIXES)
    ):
        return
    raise ValidationError(
        _(
            "«\u00a0%(value)s\u00a0» n’est pas une adresse de messagerie sécurisée de "
            "santé\u00a0: son domaine doit se terminer par mssante.fr. Une adresse "
            "ordinaire va dans le champ «\u00a0courriel du secrétariat\u00a0»."
        ),
        params={"value": value},
        code="mssante",
    )


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _(
                "«\u00a0%(slug)s\u00a0» est réservé à une page du site\u00a0; choisissez un "
                "autre identifiant."
            ),
            params={"slug": value},
            code="reserved_slug",
        )


def _zip_kind(file) -> str | None:
    """Which office format a ZIP container holds, reading its directory only."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if len(names) > 5000:
                return None
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 200:
                    return None
                return _ODF_MIMETYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def detect_case_form_kind(file) -> str | None:
    """The kind of document the bytes hold ("pdf", "ole", "docx"...), or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == _OLE_MAGIC:
        return "ole"
    if head.startswith(_ZIP_MAGIC):
        kind = _zip_kind(file)
        file.seek(0)
        return kind
    return None


def case_form_extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def validate_case_form(file) -> None:
    """A PDF or office document of at most 5 MB whose content matches its name."""
    if not file:
        return
    if getattr(file, "_committed", False):
        # A stored file, checked when it was uploaded: re-saving the RCP must not
        # open it again (nor fail if the storage is unavailable).
        return
    size = getattr(file, "size", None)
    if size is not None and size > CASE_FORM_MAX_BYTES:
        raise ValidationError(
            _("Le document pèse %(size).1f\u00a0Mo\u00a0; le maximum est 5\u00a0Mo."),
            params={"size": size / 1024 / 1024},
            code="case_form_too_large",
        )
    extension = case_form_extension(getattr(file, "name", ""))
    if extension not in CASE_FORM_TYPES:
        raise ValidationError(
            _(
                "Format refusé\u00a0: envoyez un PDF ou un document bureautique "
                "(.pdf, .doc, .docx, .odt, .xls, .xlsx, .ods)."
            ),
            code="case_form_extension",
        )
    expected = CASE_FORM_TYPES[extension][0]
    try:
        detected = detect_case_form_kind(file)
    except (OSError, ValueError) as exc:
        raise ValidationError(_("Le document est illisible."), code="case_form_unreadable") from exc
    if detected != expected:
        raise ValidationError(
            _(
                "Le contenu du fichier ne correspond pas à un document .%(ext)s\u00a0: "
                "enregistrez-le à nouveau depuis votre traitement de texte, ou en PDF."
            ),
            params={"ext": extension},
            code="case_form_content",
        )
