"""Field shapes many apps share.

Committed migrations name the encrypted field by this path; it lives in core.crypto.fields."""

from django.conf import settings
from django.db import models

from core.crypto.fields import EncryptedCharField

__all__ = ["EncryptedCharField", "user_reference"]


def user_reference(verbose_name, *, null: bool = True, **options) -> models.ForeignKey:
    """The staff member who did something to a row ("录入人", "处理人", ...).

    PROTECT, because the row records what that person did: deleting the account must not
    delete or orphan it. No reverse accessor (related_name="+"): nothing asks a user for
    "everything I touched" through the ORM, and two dozen models would otherwise crowd the
    User namespace. null=True (the default) also makes the form field
    optional, for steps a program (grids.scoping.SYSTEM) may take or that are not taken yet.
    Other options (db_index, help_text, ...) pass through unchanged."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )
