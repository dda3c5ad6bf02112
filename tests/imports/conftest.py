"""The admin's imports and exports, driven through the admin's own forms with the
test client: upload, preview, confirmation; export form, then download.

The world is tests/admin's: centres A and B, each with its editor, and the pilot
centre's staff.
"""

import re

import pytest
from django.urls import reverse

from tests.admin.conftest import NOW, build_world

CSV, XLSX = 0, 1  # the formats' order in the admin's forms (core/spreadsheets.FORMATS)
# RCP activity keeps its older CSV import under the usual name (rcp/admin.py).
IMPORT_URL_NAMES = {"rcp_rcpactivity": "admin:rcp_rcpactivity_import_file"}

__all__ = ["NOW", "export", "preview", "confirm", "text_of"]


@pytest.fixture
def world(django_user_model, axes):
    return build_world(django_user_model, axes)


def export(client, admin_name: str, fmt: int = CSV, query: str = "") -> bytes:
    """The export form as the page offers it (every column ticked), then the file."""
    url = reverse(f"admin:{admin_name}_export") + query
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {"format": fmt, "resource": 0}
    for name, form_field in form.fields.items():
        if name not in data and form_field.initial:
            data[name] = "on"
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


def preview(client, admin_name: str, content: bytes, fmt: int = CSV, name: str = "fichier.csv"):
    """The import page's first step: upload the file and get the dry run."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content)
    return client.post(
        reverse(IMPORT_URL_NAMES.get(admin_name, f"admin:{admin_name}_import")),
        {"import_file": upload, "format": fmt, "resource": 0},
    )


def confirm(client, admin_name: str, preview_response):
    """The second step: send back the confirmation form the preview shows."""
    form = preview_response.context["confirm_form"]
    return client.post(reverse(f"admin:{admin_name}_process_import"), form.initial)


def text_of(response) -> str:
    """The page's text, tags dropped and spaces collapsed (no-break spaces kept)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))
