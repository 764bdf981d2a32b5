"""Uploaded pictures: images only, size-limited, re-encoded so no location (EXIF) data is kept."""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ApplicationError

MAX_SIDE = 2048
# Pixels are judged from the header, before decoding: a small PNG can declare 100 million of
# them (300 MB once decoded). 50 million covers a phone's full-resolution mode.
MAX_PIXELS = 50_000_000


def clean_image(upload, *, field: str = "photos", max_bytes: int | None = None) -> ContentFile:
    """Check an uploaded image by its content and return a re-encoded JPEG without metadata."""
    max_bytes = max_bytes or settings.VISIT_PHOTO_MAX_BYTES
    if upload.size > max_bytes:
        raise ApplicationError(
            _("照片“%(name)s”过大，上限为 %(limit)s MB。") % {"name": upload.name, "limit": max_bytes // 1048576},
            field=field,
            code="too_large",
        )
    try:
        with Image.open(upload) as probe:
            too_many_pixels = probe.width * probe.height > MAX_PIXELS
            probe.verify()
        if too_many_pixels:
            raise ApplicationError(
                _("图片“%(name)s”像素过多，上限为 %(limit)s 万像素。")
                % {"name": upload.name, "limit": MAX_PIXELS // 10000},
                field=field,
                code="too_large",
            )
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in {"JPEG", "PNG", "WEBP", "HEIF", "GIF"}:
                raise UnidentifiedImageError(image.format)
            # Turn the picture upright before the orientation tag is dropped with the rest.
            upright = ImageOps.exif_transpose(image).convert("RGB")
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            buffer = io.BytesIO()
            upright.save(buffer, format="JPEG", quality=85)  # no exif= argument: nothing carried over
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ApplicationError(_("“%(name)s”不是有效的图片文件。") % {"name": upload.name}, field=field) from error
    return ContentFile(buffer.getvalue(), name="photo.jpg")
