"""News, documents and editable pages: what visitors see, what staff may change."""

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from content.models import Document, NewsItem, Page
from content.validators import validate_document
from demo.rcps import demo_case_form_pdf

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_news(**overrides):
    fields = {
        "title": "Nouvelle RCP de recours",
        "slug": "nouvelle-rcp",
        "summary": "Une RCP nationale de recours ouvre.",
        "body": "## Pour qui\n\nTout médecin.",
        "published_on": date(2026, 11, 20),
        "is_published": True,
    }
    fields.update(overrides)
    return NewsItem.objects.create(**fields)


def make_document(**overrides):
    fields = {
        "title": "Fiche d’adressage",
        "slug": "fiche-adressage",
        "category": Document.Category.REFERRAL,
        "is_published": True,
        "published_on": date(2026, 11, 2),
    }
    fields.update(overrides)
    document = Document(**fields)
    document.file.save("fiche.pdf", ContentFile(demo_case_form_pdf("Fiche")), save=False)
    document.save()
    return document


@time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False)
def test_news_list_shows_published_items_newest_first(client):
    make_news(slug="ancienne", title="Ancienne", published_on=date(2026, 10, 1))
    make_news()
    make_news(slug="brouillon", title="Brouillon", is_published=False)
    make_news(slug="future", title="Prévue", published_on=date(2026, 12, 15))
    html = client.get("/actualites/").content.decode()
    assert html.index("Nouvelle RCP de recours") < html.index("Ancienne")
    assert "Brouillon" not in html and "Prévue" not in html
    assert "20 novembre 2026" in html
    assert client.get("/actualites/brouillon/").status_code == 404
    assert client.get("/actualites/future/").status_code == 404


def test_news_body_is_sanitised_markdown_with_page_level_headings(client):
    make_news(
        body="## Pour qui\n\n<script>alert(1)</script>\n\n"
        '<p style="color:red" onclick="x()">texte</p> [lien](javascript:alert(1))'
    )
    html = client.get("/actualites/nouvelle-rcp/").content.decode()
    assert "<h2>Pour qui</h2>" in html
    assert "<script>alert" not in html and "onclick" not in html
    assert 'style="color' not in html and "javascript:" not in html


@time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False)
def test_the_atom_feed_lists_published_news(client):
    make_news()
    make_news(slug="brouillon", title="Brouillon", is_published=False)
    response = client.get("/actualites/flux.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Nouvelle RCP de recours"]
    assert (
        entries[0].find(f"{ATOM}link").get("href") == "http://testserver/actualites/nouvelle-rcp/"
    )
    assert "<h3>Pour qui</h3>" in entries[0].find(f"{ATOM}summary").text
    assert 'href="/actualites/flux.atom"' in client.get("/actualites/").content.decode()


def test_documents_are_filtered_by_category_and_axis(client, axes):
    make_document()
    make_document(
        slug="fiche-rcp", title="Fiche RCP pancréas", category="rcp_form", axis=axes["pancreas"]
    )
    make_document(slug="cache", title="Document caché", is_published=False)
    html = client.get("/documents/").content.decode()
    assert "2 documents" in html and "Document caché" not in html
    html = client.get("/documents/?categorie=rcp_form&axe=pancreas").content.decode()
    assert "1 document correspondant" in html and "Fiche RCP pancréas" in html
    assert "PDF" in html
    for query in ("axe=%00", "categorie=inconnue", "axe=zzz", "page=0", "page=abc"):
        assert client.get(f"/documents/?{query}").status_code == 400, query


def test_a_document_is_always_a_download(client):
    make_document()
    response = client.get("/documents/fiche-adressage/telecharger/")
    assert response["Content-Disposition"] == 'attachment; filename="fiche-adressage.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    make_document(slug="cache", is_published=False)
    assert client.get("/documents/cache/telecharger/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ...", "Format refusé"),
        ("faux.pdf", b"<html>", "ne correspond pas"),
        ("gros.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "maximum est 10\u00a0Mo"),
    ],
)
def test_a_document_is_checked_by_type_and_size(name, content, message):
    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile(name, content))
    assert message in " ".join(refused.value.messages)


def test_editable_pages_come_with_migrate_and_staff_change_their_text(client):
    about = Page.objects.get(slug="a-propos")
    html = client.get("/a-propos/").content.decode()
    assert "centre pilote est le CHU de Brest" in html
    assert "<h2>Ses missions</h2>" in html
    assert "Glossaire" in client.get("/glossaire/").content.decode()
    about.body = "Texte **revu** par l’équipe."
    about.save()
    assert "Texte <strong>revu</strong>" in client.get("/a-propos/").content.decode()
    about.is_published = False
    about.save()
    assert client.get("/a-propos/").status_code == 404


def test_network_staff_write_content_and_coordinators_only_read_it(client, django_user_model):
    manager = django_user_model.objects.create_user("pilotage", is_staff=True)
    manager.groups.add(Group.objects.get(name=NETWORK_GROUP))
    coordinator = django_user_model.objects.create_user("coordination", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=CENTRE_GROUP))
    item = make_news()
    client.force_login(manager)
    assert client.get("/admin/content/newsitem/add/").status_code == 200
    assert client.get("/admin/content/document/add/").status_code == 200
    response = client.post(
        f"/admin/content/newsitem/{item.pk}/change/",
        {
            "title": "Titre revu",
            "slug": item.slug,
            "published_on": "2026-11-20",
            "summary": item.summary,
            "body": item.body,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Titre revu"
    assert item.history.count() == 2
    client.force_login(coordinator)
    assert client.get("/admin/content/newsitem/").status_code == 200
    assert client.get("/admin/content/newsitem/add/").status_code == 403
    assert (
        client.post(f"/admin/content/newsitem/{item.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
