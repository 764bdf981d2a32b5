"""Supporting documents (PDF or image): checked by what the bytes are, not by the file name.

Images are re-encoded (which also drops location metadata); PDFs are kept as sent but must
look like a whole PDF and carry no active content (scripts, launch actions, embedded files).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.uploads.images import clean_image

PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


@dataclass(frozen=True)
class CheckedDocument:
    content: ContentFile
    content_type: str
    sha256: str


def _looks_like_pdf(data: bytes) -> bool:
    # At the very start, as PDF writers put it: a page that merely carries the marker somewhere
    # in its first kilobyte (HTML with "%PDF-" in a comment) is not a PDF.
    return data.startswith(b"%PDF-")


def check_document(upload, *, field: str = "file") -> CheckedDocument:
    """Accept a PDF or an image within the size limit; anything else is refused by name."""
    limit = settings.CASE_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ApplicationError(
            _("文件“%(name)s”过大，上限为 %(limit)s MB。") % {"name": upload.name, "limit": limit // 1048576},
            field=field,
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if _looks_like_pdf(data):
        if b"%%EOF" not in data[-2048:]:
            raise ApplicationError(_("PDF文件“%(name)s”不完整。") % {"name": upload.name}, field=field)
        if any(token in data for token in PDF_ACTIVE_CONTENT):
            raise ApplicationError(
                _("PDF文件“%(name)s”含有脚本或嵌入文件，请另存为普通PDF后上传。") % {"name": upload.name}, field=field
            )
        content, content_type = ContentFile(data, name="document.pdf"), "application/pdf"
    else:
        try:
            content = clean_image(upload, field=field, max_bytes=limit)
        except ApplicationError as error:
            if error.code == "too_large":  # an image, but too big: say so
                raise
            raise ApplicationError(
                _("“%(name)s”既不是PDF也不是图片，只能上传PDF或图片。") % {"name": upload.name}, field=field
            ) from error
        content_type = "image/jpeg"
    return CheckedDocument(content, content_type, hashlib.sha256(content.read()).hexdigest())
