"""Case-form documents: PDF or office files, size-limited, checked by content."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.rcps import demo_case_form_pdf
from rcp.validators import CASE_FORM_MAX_BYTES, validate_case_form


def zipped(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    "name, content",
    [
        ("fiche.pdf", demo_case_form_pdf("Fiche")),
        ("fiche.PDF", demo_case_form_pdf("Fiche")),
        ("fiche.docx", DOCX),
        ("fiche.odt", ODT),
        ("fiche.doc", OLE),
    ],
)
def test_pdf_and_office_documents_are_accepted(name, content):
    validate_case_form(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("fiche.exe", b"MZ\x90\x00", "case_form_extension"),
        ("fiche.html", b"<html><script>alert(1)</script>", "case_form_extension"),
        ("fiche.svg", b"<svg/>", "case_form_extension"),
        ("fiche.pdf", b"MZ\x90\x00 renamed program", "case_form_content"),
        ("fiche.pdf", b"<html>not a pdf</html>", "case_form_content"),
        ("fiche.docx", demo_case_form_pdf("x"), "case_form_content"),
        ("fiche.docx", ODT, "case_form_content"),
        ("fiche.odt", DOCX, "case_form_content"),
        ("fiche.docx", zipped({"evil.js": b"x"}), "case_form_content"),
        ("fiche.docx", b"PK\x03\x04 broken zip", "case_form_content"),
        ("fiche", b"%PDF-1.4", "case_form_extension"),
    ],
)
def test_other_files_or_mismatched_content_are_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_case_form(SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_a_file_over_5_mb_is_refused():
    big = SimpleUploadedFile("fiche.pdf", b"%PDF-" + b"0" * CASE_FORM_MAX_BYTES)
    with pytest.raises(ValidationError) as error:
        validate_case_form(big)
    assert error.value.code == "case_form_too_large"
    assert "le maximum est 5\u00a0Mo" in error.value.messages[0]
