"""Documents the network publishes: PDF and office files, checked by content
(the same detection as the RCP case forms, rcp/validators.py), 10 MB at most."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rcp.validators import CASE_FORM_TYPES, case_form_extension, detect_case_form_kind

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = CASE_FORM_TYPES  # extension -> (kind detected, content type served)


def validate_document(file) -> None:
    """A PDF or office document of at most 10 MB whose content matches its name."""
    if not file:
        return
    if getattr(file, "_committed", False):
        return  # stored, checked at upload: re-saving must not reopen it
    size = getattr(file, "size", None)
    if size is not None and size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("Le document pèse %(size).1f\u00a0Mo\u00a0; le maximum est 10\u00a0Mo."),
            params={"size": size / 1024 / 1024},
            code="document_too_large",
        )
    extension = case_form_extension(getattr(file, "name", ""))
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _(
                "Format refusé\u00a0: envoyez un PDF ou un document bureautique "
                "(.pdf, .doc, .docx, .odt, .xls, .xlsx, .ods)."
            ),
            code="document_extension",
        )
    try:
        detected = detect_case_form_kind(file)
    except (OSError, ValueError) as exc:
        raise ValidationError(_("Le document est illisible."), code="document_unreadable") from exc
    if detected != DOCUMENT_TYPES[extension][0]:
        raise ValidationError(
            _(
                "Le contenu du fichier ne correspond pas à un document .%(ext)s\u00a0: "
                "enregistrez-le à nouveau depuis votre logiciel, ou en PDF."
            ),
            params={"ext": extension},
            code="document_content",
        )
