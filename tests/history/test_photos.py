"""Undo brings photos back: a replaced or deleted centre's photo leaves the public
media for the retired directory, and a revert or a restore from the « corbeille »
makes it public again; a rolled-back change moves no file (issue 12, point 3)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from centres.models import Centre
from core.retired_media import check_retired_root, retired_root
from tests.html_forms import as_post_data, submitted_entries

from .conftest import change_form, change_url, jpeg_bytes

TRASH = reverse("admin:centres_centre_trash")


@pytest.fixture(autouse=True)
def _media(media):
    return media


def jpeg(colour: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", jpeg_bytes(colour), content_type="image/jpeg")


def status(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        # Read to the end: the test client then closes the file with the
        # request_finished signal's close_old_connections off. response.close()
        # would fire it and close the database connection (PostgreSQL) inside
        # the test's transaction.
        b"".join(response.streaming_content)
    return response.status_code


def upload(client, centre, colour: str, commit) -> str:
    """Give ``centre`` a new photo through its admin page; its stored name."""
    data = {**change_form(client, centre), "photo": jpeg(colour)}
    with commit(execute=True):
        response = client.post(change_url(centre), data)
    assert response.status_code == 302
    centre.refresh_from_db()
    return centre.photo.name


def revert_post(client, centre, record):
    """Revert ``centre`` to ``record`` through its admin history page."""
    url = reverse("admin:centres_centre_simple_history", args=[centre.pk, record.history_id])
    html = client.get(url).content.decode()
    response = client.post(
        url, as_post_data(submitted_entries(html, "historicalcentre_form", "_save"))
    )
    assert response.status_code == 302
    centre.refresh_from_db()


def revert(client, centre, record, commit):
    with commit(execute=True):
        revert_post(client, centre, record)


def test_a_replaced_photo_leaves_the_public_media_for_the_retired_directory(
    pilot, brest, media, django_capture_on_commit_callbacks
):
    public, retired = media
    first = upload(pilot, brest, "navy", django_capture_on_commit_callbacks)
    assert status(pilot, f"/media/{first}") == 200
    second = upload(pilot, brest, "teal", django_capture_on_commit_callbacks)
    assert second != first
    assert status(pilot, f"/media/{first}") == 404
    assert not (public / first).exists()
    assert (retired / first).is_file()
    assert (public / second).is_file() and not (retired / second).exists()


def test_reverting_to_an_earlier_version_makes_its_photo_public_again(
    pilot, client, brest, media, django_capture_on_commit_callbacks
):
    public, retired = media
    first = upload(pilot, brest, "navy", django_capture_on_commit_callbacks)
    version_with_first = brest.history.latest()
    first_bytes = (public / first).read_bytes()
    second = upload(pilot, brest, "teal", django_capture_on_commit_callbacks)

    revert(pilot, brest, version_with_first, django_capture_on_commit_callbacks)

    assert brest.photo.name == first
    assert (public / first).read_bytes() == first_bytes and not (retired / first).exists()
    assert (retired / second).is_file() and not (public / second).exists()
    assert status(client, f"/media/{first}") == 200
    assert status(client, f"/media/{second}") == 404
    page = client.get(brest.get_absolute_url()).content.decode()
    assert f'src="{brest.photo.url}"' in page


def test_a_deleted_centre_comes_back_from_the_trash_with_its_photo(
    pilot, client, brest, media, django_capture_on_commit_callbacks
):
    public, retired = media
    photo = upload(pilot, brest, "navy", django_capture_on_commit_callbacks)
    delete = reverse("admin:centres_centre_delete", args=[brest.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert pilot.post(delete, {"post": "yes"}).status_code == 302
    assert not (public / photo).exists() and (retired / photo).is_file()
    assert status(client, f"/media/{photo}") == 404

    deletion = Centre.history.get(id=brest.pk, history_type="-")
    with django_capture_on_commit_callbacks(execute=True):
        assert pilot.post(TRASH, {"history_id": str(deletion.history_id)}).status_code == 302

    centre = Centre.objects.get(pk=brest.pk)
    assert centre.photo.name == photo
    assert (public / photo).is_file() and not (retired / photo).exists()
    assert status(client, f"/media/{photo}") == 200
    assert f'src="{centre.photo.url}"' in client.get(centre.get_absolute_url()).content.decode()


def test_a_rolled_back_revert_moves_no_file(
    pilot, brest, media, django_capture_on_commit_callbacks
):
    public, retired = media
    first = upload(pilot, brest, "navy", django_capture_on_commit_callbacks)
    version_with_first = brest.history.latest()
    second = upload(pilot, brest, "teal", django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            revert_post(pilot, brest, version_with_first)
            assert brest.photo.name == first
            raise RuntimeError("the change does not commit")
    assert callbacks == []
    brest.refresh_from_db()
    assert brest.photo.name == second
    assert (public / second).is_file() and (retired / first).is_file()
    assert not (public / first).exists() and not (retired / second).exists()


def test_a_photo_missing_everywhere_is_left_missing(
    pilot, brest, media, django_capture_on_commit_callbacks
):
    """A version naming a file that is in neither directory (deleted before
    photos were retired): the revert works, and no file appears."""
    public, retired = media
    first = upload(pilot, brest, "navy", django_capture_on_commit_callbacks)
    version_with_first = brest.history.latest()
    upload(pilot, brest, "teal", django_capture_on_commit_callbacks)
    (retired / first).unlink()
    revert(pilot, brest, version_with_first, django_capture_on_commit_callbacks)
    assert brest.photo.name == first
    assert not (public / first).exists() and not (retired / first).exists()


@pytest.mark.parametrize("inside", ["media", "media/retired", "static"])
def test_the_retired_directory_may_not_be_served(settings, tmp_path, inside):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.RETIRED_MEDIA_ROOT = str(tmp_path / inside)
    with pytest.raises(ImproperlyConfigured, match="must be outside"):
        retired_root()
    assert [error.id for error in check_retired_root()] == ["core.E001"]


def test_by_default_the_retired_directory_is_beside_the_media(settings, tmp_path):
    settings.RETIRED_MEDIA_ROOT = ""
    assert retired_root() == (tmp_path / "media-retired").resolve()
    assert check_retired_root() == []
