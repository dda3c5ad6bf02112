"""The data migration that turns the audience and legal pages into whole
editable pages, on rows written before it (then only a section under the
template's text)."""

import importlib

import pytest
from django.apps import apps

from content.models import Page

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("content.migrations.0005_whole_pages")
LEGAL_OPENING = MIGRATION.LEGAL.strip().splitlines()[0]


def section(slug, **fields):
    """The row as it was before the migration: a section under the template."""
    Page.objects.filter(slug=slug).delete()
    return Page.objects.create(slug=slug, **fields)


def test_a_renamed_section_keeps_the_template_text_first_and_its_own_after():
    section("mentions-legales", title="Complément", body="Texte ajouté par l’équipe.")
    MIGRATION.seed_pages(apps, None)
    page = Page.objects.get(slug="mentions-legales")
    assert page.title == "Mentions légales"
    assert page.body.startswith(MIGRATION.LEGAL)
    assert page.body.endswith("## Complément\n\nTexte ajouté par l’équipe.\n")
    assert page.is_published
    assert "texte ajoute par l" in page.search_text


def test_an_unpublished_section_stays_out_of_the_page_and_in_its_history():
    old = section("patients", title="Brouillon", body="Pas encore relu.", is_published=False)
    MIGRATION.seed_pages(apps, None)
    page = Page.objects.get(slug="patients")
    assert page.is_published and page.body == MIGRATION.PATIENTS
    before = page.history.get(history_change_reason__startswith="Avant le passage")
    assert (before.id, before.title, before.body, before.is_published) == (
        old.pk,
        "Brouillon",
        "Pas encore relu.",
        False,
    )


def test_pages_that_were_whole_already_are_left_as_staff_wrote_them():
    section("a-propos", title="À propos", body="Notre texte.")
    MIGRATION.seed_pages(apps, None)
    assert Page.objects.get(slug="a-propos").body == "Notre texte."


def test_a_missing_page_is_created_published_and_searchable():
    Page.objects.filter(slug="mentions-legales").delete()
    MIGRATION.seed_pages(apps, None)
    page = Page.objects.get(slug="mentions-legales")
    assert page.is_published and page.body == MIGRATION.LEGAL
    assert LEGAL_OPENING and page.search_text
