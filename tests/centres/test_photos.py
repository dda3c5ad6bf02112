"""Photo uploads: refused with a clear French message when hostile or broken,
stored re-encoded without metadata when fine; in the admin and in centres.images."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from centres.images import MAX_SIDE, reencode, validate_photo
from tests.centres.test_admin import change_form_data, change_url
from tests.factories import make_centre, make_person

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RETIRED_MEDIA_ROOT = str(tmp_path / "retired")


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg_with_gps(width=400, height=200) -> bytes:
    """A JPEG whose EXIF says where it was taken and asks for a 90° rotation."""
    exif = Image.Exif()
    exif[0x010F] = "Fabricant de l’appareil"
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (48.0, 23.0, 12.5), 3: "W", 4: (4.0, 29.0, 1.0)}
    return encode(Image.new("RGB", (width, height), "navy"), "JPEG", exif=exif)


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG of `width` × `height` black pixels, tiny once compressed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width)  # filter byte + one grey byte per pixel
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    noisy = Image.effect_noise((800, 600), 64).convert("RGB")
    data = encode(noisy, "JPEG", quality=95)
    return data[: len(data) // 2]


BAD_UPLOADS = {
    "text-named-jpg": (b"Ceci n'est pas une image.\n" * 20, "n’est pas une image lisible"),
    "gif": (encode(Image.new("RGB", (20, 20), "red"), "GIF"), "Format GIF refusé"),
    "six-megabytes": (
        encode(Image.new("RGB", (10, 10)), "JPEG") + b"\x00" * (6 * 1024 * 1024),
        "La photo pèse 6,0\u00a0Mo",
    ),
    "png-bomb": (png_declaring(12_000, 12_000), "12\u00a0000 × 12\u00a0000 pixels"),
    "truncated-jpeg": (truncated_jpeg(), "endommagée"),
}


def test_the_bomb_is_small_and_the_six_megabytes_file_is_big():
    assert len(BAD_UPLOADS["png-bomb"][0]) < 500_000
    assert len(BAD_UPLOADS["six-megabytes"][0]) > 6 * 1024 * 1024


# --- centres.images, directly ---------------------------------------------------------


@pytest.mark.parametrize("name", list(BAD_UPLOADS))
def test_bad_files_are_refused_with_a_french_message(name):
    data, message = BAD_UPLOADS[name]
    for check in (validate_photo, reencode):
        with pytest.raises(ValidationError) as refused:
            check(SimpleUploadedFile(f"{name}.jpg", data))
        assert message in refused.value.messages[0]


def test_an_image_beyond_pillows_own_limit_is_refused_as_too_many_pixels():
    # 20 000 × 20 000 = 400 megapixels: Pillow itself refuses to open it.
    with pytest.raises(ValidationError) as refused:
        validate_photo(SimpleUploadedFile("huge.png", png_declaring(20_000, 20_000)))
    assert refused.value.code == "photo_too_many_pixels"


def test_reencoding_drops_exif_and_gps_and_applies_the_orientation():
    source = jpeg_with_gps()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)
    data, ext = reencode(SimpleUploadedFile("photo.jpg", source))
    stored = Image.open(io.BytesIO(data))
    assert ext == "jpg" and stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert b"Exif" not in data[:200] and b"Fabricant" not in data
    assert stored.size == (200, 400)  # rotated as the EXIF asked


def test_reencoding_downscales_large_photos_and_keeps_png_transparency():
    big = encode(Image.new("RGB", (4000, 3000), "green"), "JPEG")
    data, _ = reencode(SimpleUploadedFile("big.jpg", big))
    assert max(Image.open(io.BytesIO(data)).size) == MAX_SIDE
    logo = encode(Image.new("P", (30, 30)), "PNG", transparency=0)
    data, ext = reencode(SimpleUploadedFile("logo.png", logo))
    assert ext == "png" and Image.open(io.BytesIO(data)).mode == "RGBA"


def test_file_extension_follows_the_real_format():
    png = encode(Image.new("RGB", (30, 30)), "PNG")
    _, ext = reencode(SimpleUploadedFile("photo.jpg", png))
    assert ext == "png"


# --- Through the admin ----------------------------------------------------------------


@pytest.fixture
def centre_page(admin_client, axes):
    centre = make_centre(axes=[axes["pancreas"]])
    return centre, change_form_data(admin_client.get(change_url(centre)))


@pytest.mark.parametrize("name", list(BAD_UPLOADS))
def test_bad_upload_in_the_admin_is_a_form_error_never_a_500(admin_client, centre_page, name):
    centre, data = centre_page
    content, message = BAD_UPLOADS[name]
    data["photo"] = SimpleUploadedFile(f"{name}.jpg", content, content_type="image/jpeg")
    response = admin_client.post(change_url(centre), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["photo"]
    assert message in errors["photo"][0]
    assert message.split("\u00a0")[0] in response.content.decode()
    centre.refresh_from_db()
    assert not centre.photo


def test_good_photo_in_the_admin_is_stored_reencoded_without_exif(
    admin_client, centre_page, settings
):
    centre, data = centre_page
    data["photo"] = SimpleUploadedFile("façade.jpg", jpeg_with_gps(), content_type="image/jpeg")
    data["photo_alt"] = "La façade de l’hôpital"
    response = admin_client.post(change_url(centre), data)
    assert response.status_code == 302, response.context["errors"]
    centre.refresh_from_db()
    assert centre.photo.name.startswith("centres/") and centre.photo.name.endswith(".jpg")
    stored = (settings.MEDIA_ROOT / centre.photo.name).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert len(image.getexif()) == 0 and image.size == (200, 400)
    assert b"Fabricant" not in stored
    page = admin_client.get(change_url(centre)).content.decode()
    assert f'src="{centre.photo.url}"' in page  # the preview


def test_person_photo_is_checked_the_same_way(admin_client, db):
    person = make_person()
    data = change_form_data(admin_client.get(change_url(person)))
    data["photo"] = SimpleUploadedFile("p.jpg", BAD_UPLOADS["gif"][0], content_type="image/gif")
    response = admin_client.post(change_url(person), data)
    assert response.status_code == 200
    assert "Format GIF refusé" in response.context["adminform"].form.errors["photo"][0]
    data["photo"] = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert admin_client.post(change_url(person), data).status_code == 302
    person.refresh_from_db()
    assert person.photo.name.startswith("people/")


def test_file_input_announces_the_accepted_formats(admin_client, centre_page):
    centre, _ = centre_page
    html = admin_client.get(change_url(centre)).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp"' in html


def test_a_replaced_person_photo_is_retired_not_public_nor_lost(
    admin_client, db, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Replaced photos leave MEDIA_ROOT (their address answers 404) for the
    retired directory, from which a revert can bring them back (tests/history)."""
    person = make_person()
    data = change_form_data(admin_client.get(change_url(person)))
    names = []
    for colour in ("navy", "teal"):
        photo = encode(Image.new("RGB", (40, 30), colour), "JPEG")
        data["photo"] = SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")
        with django_capture_on_commit_callbacks(execute=True):
            assert admin_client.post(change_url(person), data).status_code == 302
        person.refresh_from_db()
        names.append(person.photo.name)
    first, second = names
    assert not (settings.MEDIA_ROOT / first).exists()
    assert (tmp_path / "retired" / first).is_file()
    assert (settings.MEDIA_ROOT / second).is_file()
    assert admin_client.get(f"/media/{first}").status_code == 404
