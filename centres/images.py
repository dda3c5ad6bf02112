"""Photos: checked before decoding, then re-encoded so only pixels are kept.

A small PNG can declare gigantic dimensions (a decompression bomb), and an
image file can carry EXIF (GPS position, camera), ICC data or a polyglot
payload. We read the header, refuse what is too big, decode the pixels once
to refuse a damaged file while the form can still say so, then write a fresh
file with Pillow when the object is saved.
"""

import io
import secrets
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_SIDE = 1600  # stored photos are downscaled to this size at most
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Formats Pillow may identify: the accepted ones, and common ones only so as
# to name them in the refusal. Other parsers are never run on an upload.
IDENTIFIED_FORMATS = (*FORMATS, "GIF", "BMP", "TIFF")
ACCEPT = "image/jpeg,image/png,image/webp"


def _unreadable() -> ValidationError:
    return ValidationError(
        _("Ce fichier n’est pas une image lisible (formats acceptés\u00a0: JPEG, PNG, WebP)."),
        code="photo_unreadable",
    )


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationError:
    if width is None or height is None:
        return ValidationError(
            _("L’image dépasse 25\u00a0mégapixels, le maximum accepté."),
            code="photo_too_many_pixels",
        )
    return ValidationError(
        _(
            "L’image mesure %(w)s × %(h)s pixels (%(mp)s\u00a0mégapixels)\u00a0; "
            "le maximum est 25\u00a0mégapixels."
        ),
        params={
            "w": number_format(width, force_grouping=True),
            "h": number_format(height, force_grouping=True),
            "mp": number_format(round(width * height / 1e6), force_grouping=True),
        },
        code="photo_too_many_pixels",
    )


def _open_header(file) -> Image.Image:
    """Identify the image from its header, refusing what is not one we accept.

    Nothing is decoded yet. Pillow warns about (or refuses) images above its
    own pixel limit; our limit is lower and checked right after, with a clear
    message, so its warning is silenced here.
    """
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(file, formats=IDENTIFIED_FORMATS)
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels() from exc
        except Exception as exc:  # any parser error on hostile input means "unreadable"
            raise _unreadable() from exc
    if image.format not in FORMATS:
        raise ValidationError(
            _("Format %(format)s refusé\u00a0: envoyez une image JPEG, PNG ou WebP."),
            params={"format": image.format or _("inconnu")},
            code="photo_format",
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)
    return image


def _check_size(file) -> None:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("La photo pèse %(size)s\u00a0Mo\u00a0; le maximum est 5\u00a0Mo."),
            params={"size": number_format(size / 1024 / 1024, 1)},
            code="photo_too_large",
        )


def _decode(image: Image.Image, draft_size: tuple[int, int]) -> Image.Image:
    """Decode the pixels (a JPEG at a reduced scale, at least `draft_size`),
    applying the EXIF orientation; a damaged file is a ValidationError."""
    try:
        if image.format == "JPEG":
            # The whole stream is still read: a truncated file fails here too.
            image.draft("RGB", draft_size)
        image.load()
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            # Palette, CMYK, 16-bit, 1-bit...: to plain 8-bit RGB, keeping transparency.
            alpha = image.mode in ("PA", "RGBa", "La") or "transparency" in image.info
            image = image.convert("RGBA" if alpha else "RGB")
    except Exception as exc:  # truncated data, corrupt chunks, broken EXIF...
        raise ValidationError(
            _("Cette image est endommagée et ne peut pas être lue."), code="photo_broken"
        ) from exc
    return image


def validate_photo(file) -> None:
    """Refuse anything but a readable JPEG, PNG or WebP of at most 5 MB and 25 megapixels.

    A file already stored was checked and re-encoded when it came in: it is
    not read again (a revert may name a retired photo, which comes back from
    the retired media only once the change commits; see core/retired_media.py).
    """
    if file is None or getattr(file, "_committed", False):
        return
    _check_size(file)
    image = _open_header(file)
    _decode(image, (64, 64))
    file.seek(0)


def reencode(file) -> tuple[bytes, str]:
    """Decode a photo and return fresh bytes and their extension.

    EXIF orientation is applied to the pixels, then every metadata block is
    dropped (a new image is written from the pixel data only).
    """
    _check_size(file)
    image = _open_header(file)
    fmt = image.format
    image = _decode(image, (MAX_SIDE, MAX_SIDE))
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    file.seek(0)
    return out.getvalue(), FORMATS[fmt]


class PhotoFormField(forms.ImageField):
    """The form side of PhotoField: our checks, with their French messages.

    Django's ImageField would open the file with Pillow first and answer a
    generic message (or trip on Pillow's bomb warning); ours says what is
    wrong and also refuses a damaged file before anything is saved.
    """

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        validate_photo(file)
        return file

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs


class PhotoField(models.ImageField):
    """An ImageField that validates size and pixels and re-encodes on save."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_photo])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            data, ext = reencode(file.file)
            # A random name: a replaced photo's address cannot be guessed from
            # the upload's name or from the next one's.
            file.save(f"{secrets.token_hex(16)}.{ext}", ContentFile(data), save=False)
        return super().pre_save(model_instance, add)
