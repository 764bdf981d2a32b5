"""Committed migrations name the encrypted field by this path; it lives in core.crypto.fields."""

from core.crypto.fields import EncryptedCharField

__all__ = ["EncryptedCharField"]
