"""The « corbeille » of people, news and documents: a deleted person comes back
with the roles deleted with them and their photo; a news item with its axes and
image; a document with its file (Django deletes no file with its row, so it
stays in the media storage). A centre's editor sees and restores only the
people whose deleted roles were all at their centres; news and documents are
the network managers' alone."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from centres.admin_scoping import CENTRE_GROUP
from centres.models import Person, Role
from content.models import Document, NewsItem
from demo.rcps import demo_case_form_pdf
from tests.factories import make_centre, make_person, make_role

from .conftest import jpeg_bytes, make_staff

PERSON_TRASH = reverse("admin:centres_person_trash")
NEWS_TRASH = reverse("admin:content_newsitem_trash")
DOCUMENT_TRASH = reverse("admin:content_document_trash")


@pytest.fixture(autouse=True)
def _media(media):
    return media


def jpeg(colour: str) -> ContentFile:
    return ContentFile(jpeg_bytes(colour))


def delete_in_the_admin(client, obj, commit):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    with commit(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    return type(obj).history.filter(id=obj.pk, history_type="-").latest()


def restore(client, trash, deletion, commit):
    with commit(execute=True):
        return client.post(trash, {"history_id": str(deletion.history_id)})


def test_a_deleted_person_comes_back_with_their_roles_and_photo(
    pilot, brest, axes, media, django_capture_on_commit_callbacks
):
    public, retired = media
    person = make_person(first_name="Yann", last_name="Le Goff", specialty="Gastro-entérologie")
    person.photo.save("yann.jpg", jpeg("navy"))
    photo = person.photo.name
    make_role(person, centre=brest, kind=Role.Kind.RCP_COORDINATOR, label="RCP digestive")
    make_role(person, centre=brest, axis=axes["pancreas"], kind=Role.Kind.RESEARCH_CONTACT)
    roles = sorted(
        person.roles.values("id", "kind", "centre_id", "axis_id", "label", "order"), key=repr
    )

    deletion = delete_in_the_admin(pilot, person, django_capture_on_commit_callbacks)
    assert not Role.objects.filter(person_id=person.pk).exists()
    assert not (public / photo).exists() and (retired / photo).is_file()
    assert f'value="{deletion.history_id}"' in pilot.get(PERSON_TRASH).content.decode()

    response = restore(pilot, PERSON_TRASH, deletion, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    restored = Person.objects.get(pk=person.pk)
    assert response.url == reverse("admin:centres_person_change", args=[person.pk])
    assert (restored.first_name, restored.specialty) == ("Yann", "Gastro-entérologie")
    back = sorted(
        restored.roles.values("id", "kind", "centre_id", "axis_id", "label", "order"), key=repr
    )
    assert back == roles
    assert restored.photo.name == photo
    assert (public / photo).is_file() and not (retired / photo).exists()
    assert restored.history.latest().history_change_reason == "Restauré depuis la corbeille"
    assert f'value="{deletion.history_id}"' not in pilot.get(PERSON_TRASH).content.decode()


@pytest.fixture
def rennes(django_user_model):
    centre = make_centre(name="CHU de Rennes", slug="chu-rennes")
    centre.editors.add(make_staff(django_user_model, "equipe-rennes", CENTRE_GROUP))
    return centre


def deleted_person(*centres, **names):
    person = make_person(**names)
    for centre in centres:
        make_role(person, centre=centre, kind=Role.Kind.SECRETARY)
    pk = person.pk
    person.delete()
    return Person.history.get(id=pk, history_type="-")


def test_an_editor_sees_and_restores_the_people_of_their_centres_only(
    client, editor, brest, rennes
):
    own = deleted_person(brest, first_name="Anne", last_name="Brestoise")
    other = deleted_person(rennes, first_name="Rémi", last_name="Rennais")
    shared = deleted_person(brest, rennes, first_name="Paule", last_name="Partagée")
    client.force_login(editor)

    page = client.get(PERSON_TRASH).content.decode()
    assert f'value="{own.history_id}"' in page and "Brestoise" in page
    for hidden in (other, shared):
        assert f'value="{hidden.history_id}"' not in page
    assert "Rennais" not in page and "Partagée" not in page

    for hidden in (other, shared):
        response = client.post(PERSON_TRASH, {"history_id": str(hidden.history_id)})
        assert response.status_code == 404
        assert not Person.objects.filter(pk=hidden.id).exists()
        assert not Role.objects.filter(person_id=hidden.id).exists()

    response = client.post(PERSON_TRASH, {"history_id": str(own.history_id)})
    assert response.status_code == 302
    restored = Person.objects.get(pk=own.id)
    assert [r.centre for r in restored.roles.all()] == [brest]
    assert restored.history.latest().history_user == editor


def test_a_person_restored_by_the_pilot_is_still_not_found_by_another_editor(
    client, pilot, editor, rennes
):
    other = deleted_person(rennes, last_name="Rennais")
    assert pilot.post(PERSON_TRASH, {"history_id": str(other.history_id)}).status_code == 302
    client.force_login(editor)
    assert client.post(PERSON_TRASH, {"history_id": str(other.history_id)}).status_code == 404


def make_news(axes) -> NewsItem:
    news = NewsItem.objects.create(
        title="Nouvelle RCP de recours",
        slug="nouvelle-rcp",
        summary="Une RCP nationale de recours ouvre.",
        body="## Pour qui\n\nTout médecin.",
        published_on=date(2026, 11, 20),
        is_published=True,
    )
    news.image.save("rcp.jpg", jpeg("teal"))
    news.axes.set([axes["pancreas"]])
    return news


def test_a_deleted_news_item_comes_back_with_its_axes_and_image(
    pilot, axes, media, django_capture_on_commit_callbacks
):
    public, retired = media
    news = make_news(axes)
    image = news.image.name
    deletion = delete_in_the_admin(pilot, news, django_capture_on_commit_callbacks)
    assert not (public / image).exists() and (retired / image).is_file()

    response = restore(pilot, NEWS_TRASH, deletion, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    restored = NewsItem.objects.get(pk=news.pk)
    assert (restored.title, restored.slug, restored.is_published) == (
        "Nouvelle RCP de recours",
        "nouvelle-rcp",
        True,
    )
    assert [a.slug for a in restored.axes.all()] == ["pancreas"]
    assert restored.image.name == image and (public / image).is_file()


def test_a_deleted_document_comes_back_with_its_file(
    pilot, axes, media, django_capture_on_commit_callbacks
):
    public, _retired = media
    document = Document(
        title="Fiche d’adressage",
        slug="fiche-adressage",
        category=Document.Category.REFERRAL,
        axis=axes["oesophage"],
        is_published=True,
        published_on=date(2026, 11, 2),
    )
    document.file.save("fiche.pdf", ContentFile(demo_case_form_pdf("Fiche")), save=False)
    document.save()
    name = document.file.name
    content = (public / name).read_bytes()

    deletion = delete_in_the_admin(pilot, document, django_capture_on_commit_callbacks)
    # Django deletes no file with its row: the file stays where it was.
    assert (public / name).read_bytes() == content

    response = restore(pilot, DOCUMENT_TRASH, deletion, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    restored = Document.objects.get(pk=document.pk)
    assert (restored.slug, restored.axis) == ("fiche-adressage", axes["oesophage"])
    assert restored.file.name == name
    with restored.file.open("rb") as stored:
        assert stored.read() == content


def test_a_document_whose_address_was_taken_since_stays_in_the_trash(pilot, axes):
    document = Document(title="Rapport", slug="rapport", category=Document.Category.REPORT)
    document.file.save("rapport.pdf", ContentFile(demo_case_form_pdf("R")), save=False)
    document.save()
    pk = document.pk
    document.delete()
    deletion = Document.history.get(id=pk, history_type="-")
    other = Document(title="Autre rapport", slug="rapport", category=Document.Category.REPORT)
    other.file.save("autre.pdf", ContentFile(demo_case_form_pdf("A")), save=False)
    other.save()
    response = pilot.post(DOCUMENT_TRASH, {"history_id": str(deletion.history_id)}, follow=True)
    assert "Impossible de restaurer «\u00a0Rapport\u00a0»\u00a0:" in response.content.decode()
    assert not Document.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("trash", [NEWS_TRASH, DOCUMENT_TRASH])
def test_news_and_documents_trashes_are_the_network_managers(client, editor, trash):
    client.force_login(editor)
    assert client.get(trash).status_code == 403
    assert client.post(trash, {"history_id": "1"}).status_code == 403


def test_the_admin_index_links_the_new_trashes(pilot, client, editor):
    page = pilot.get(reverse("admin:index")).content.decode()
    for trash in (PERSON_TRASH, NEWS_TRASH, DOCUMENT_TRASH):
        assert f'href="{trash}"' in page
    assert "Corbeille\u00a0: personnes supprimées, à restaurer" in page
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{PERSON_TRASH}"' in page
    assert f'href="{NEWS_TRASH}"' not in page and f'href="{DOCUMENT_TRASH}"' not in page
