"""A text column that is encrypted in the database and clear text in Python."""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from core.crypto import cipher

# A Fernet token of up to 32 bytes of text is 120 characters; 255 leaves room for longer ones.
STORED_LENGTH = 255


class EncryptedCharField(models.CharField):
    """`max_length` is the clear text's; the column holds the token. Blank stays blank (so
    "has a phone?" can be asked); any other comparison must use a keyed-hash column instead,
    and trying one raises rather than silently comparing ciphertext."""

    encrypted = True

    def db_type(self, connection):
        return f"varchar({STORED_LENGTH})"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return cipher.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return cipher.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return BlankOnlyExact
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted: look it up by its keyed hash, not '{lookup_name}'."
        )


class BlankOnlyExact(Exact):
    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name} is encrypted: only a blank value can be compared.")
        return self.rhs
