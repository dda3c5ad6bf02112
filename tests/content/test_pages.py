"""Editable pages: the audience and legal pages are kept in the admin in
Markdown; their templates keep only what is computed (forms, settings)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import resolve

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from content.models import Page

pytestmark = pytest.mark.django_db

# The text blocks (h1, h2, p, li inside <main>) each page showed when its text
# was written in its template, captured before the move to the admin.
BEFORE = json.loads((Path(__file__).parent / "pages_before.json").read_text())
PATHS = {
    "patients": "/patients/",
    "medecins": "/medecins/",
    "mentions-legales": "/mentions-legales/",
    "donnees-personnelles": "/donnees-personnelles/",
    "accessibilite": "/accessibilite/",
    "contact": "/contact/",
}
# Headings the split renamed: the host now shares its section with the
# publication director (both computed from the deployment's settings).
RENAMED = {("mentions-legales", "Hébergement")}


class _Blocks(HTMLParser):
    """Text of the h1, h2, h3, p and li elements inside <main>, spaces collapsed."""

    BLOCK = frozenset({"p", "li", "h1", "h2", "h3"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.open: list[list[str]] = []
        self.blocks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        elif self.in_main and tag in self.BLOCK:
            self.open.append([])

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif self.in_main and tag in self.BLOCK and self.open:
            text = re.sub(r"\s+", " ", "".join(self.open.pop())).strip()
            if text:
                self.blocks.append(text)

    def handle_data(self, data):
        for parts in self.open:
            parts.append(data)


def blocks(html: str) -> list[str]:
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def network_staff(django_user_model, name="pilotage", group=NETWORK_GROUP):
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def change_form(page, **overrides):
    data = {
        "title": page.title,
        "summary": page.summary,
        "body": page.body,
        "is_published": "on",
        "last_reviewed": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("slug", PATHS)
def test_the_seeded_text_is_what_the_page_showed_before(client, slug):
    shown = blocks(client.get(PATHS[slug]).content.decode())
    missing = [b for b in BEFORE[slug] if b not in shown and (slug, b) not in RENAMED]
    assert missing == []


@pytest.mark.parametrize("slug", PATHS)
def test_the_page_renders_its_stored_markdown(client, slug):
    page = Page.objects.get(slug=slug)
    assert page.body.strip()
    page.body = "## Nouvelle rubrique\n\nTexte **revu** par l’équipe."
    page.save()
    html = client.get(PATHS[slug]).content.decode()
    assert "<h2>Nouvelle rubrique</h2>" in html
    assert "Texte <strong>revu</strong> par l’équipe." in html
    # The former text came from the database, not from the template.
    assert max(BEFORE[slug], key=len) not in blocks(html)


def test_computed_parts_stay_around_the_text(client, settings):
    settings.PUBLICATION_DIRECTOR = "Mme Anne Exemple, présidente"
    settings.HOSTING_PROVIDER = "Hébergeur Exemple, 1 rue de la Paix, 75002 Paris"
    Page.objects.filter(slug__in=PATHS).update(body="Texte court.")
    legal = client.get("/mentions-legales/").content.decode()
    assert "Directeur de la publication\u00a0: Mme Anne Exemple, présidente." in legal
    assert "Hébergeur\u00a0: Hébergeur Exemple, 1 rue de la Paix, 75002 Paris." in legal
    assert 'name="pres_de"' in client.get("/medecins/").content.decode()
    assert 'href="tel:0805123124"' in client.get("/patients/").content.decode()


def test_an_admin_edit_shows_on_the_public_page(client, django_user_model):
    client.force_login(network_staff(django_user_model))
    page = Page.objects.get(slug="patients")
    added = "\n## Permanence\n\nUne permanence téléphonique ouvre le mardi : appelez-nous."
    body = page.body + added
    response = client.post(f"/admin/content/page/{page.pk}/change/", change_form(page, body=body))
    assert response.status_code == 302
    html = client.get("/patients/").content.decode()
    assert "<h2>Permanence</h2>" in html
    # Staff type an ordinary space; the page sets the French no-break space.
    assert "ouvre le mardi\u00a0: appelez-nous." in html
    assert Page.objects.get(slug="patients").history.count() == 1


def test_script_and_inline_style_typed_in_the_admin_are_stripped(client, django_user_model):
    client.force_login(network_staff(django_user_model))
    page = Page.objects.get(slug="mentions-legales")
    body = (
        "<script>alert('x')</script>\n\n"
        '<p style="color: red" onclick="alert(1)">Texte rouge</p>\n\n'
        "[lien](javascript:alert(1)) et <style>body { display: none }</style>"
        '<iframe src="https://exemple.org/"></iframe>'
    )
    client.post(f"/admin/content/page/{page.pk}/change/", change_form(page, body=body))
    main = client.get("/mentions-legales/").content.decode().split("<main", 1)[1]
    for forbidden in ("<script>alert", "style=", "onclick", "javascript:", "<style>", "<iframe"):
        assert forbidden not in main
    assert "Texte rouge" in main


def test_centre_coordinators_read_network_pages_but_never_change_them(client, django_user_model):
    client.force_login(network_staff(django_user_model, "coordination", CENTRE_GROUP))
    page = Page.objects.get(slug="medecins")
    assert client.get(f"/admin/content/page/{page.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/content/page/{page.pk}/change/", change_form(page, body="Modifié")
    )
    assert response.status_code == 403
    assert Page.objects.get(slug="medecins").body == page.body


@pytest.mark.parametrize("slug", PATHS)
def test_every_link_of_the_seeded_text_leads_to_a_page_of_the_site(slug):
    body = Page.objects.get(slug=slug).body
    for path in re.findall(r"\]\((/[^)]*)\)", body):
        resolve(path)  # raises Resolver404 for a link to nowhere


def test_the_sitemap_dates_every_editable_page(client):
    xml = client.get("/sitemap-contenus.xml").content.decode()
    for path in PATHS.values():
        assert xml.count(f"{path}</loc><lastmod>") == 1
    assert "/patients/</loc>" not in client.get("/sitemap-pages.xml").content.decode()
