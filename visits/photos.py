"""Visit photos: at most three, each checked and re-encoded like every uploaded picture."""

from core.uploads.images import clean_image as clean_photo

MAX_PHOTOS = 3

__all__ = ["MAX_PHOTOS", "clean_photo"]
