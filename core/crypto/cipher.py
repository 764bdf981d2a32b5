"""Personal numbers at rest: Fernet encryption (AES-CBC + HMAC) under a list of keys so they
can be rotated, and a keyed hash (HMAC-SHA256) for exact lookup and uniqueness. A stolen dump
holds neither the numbers nor hashes that could be reversed by trying every ID number."""

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def _derived(purpose: str) -> bytes:
    return _derived_from(purpose, settings.SECRET_KEY)


@lru_cache(maxsize=8)
def _derived_from(purpose: str, secret: str) -> bytes:
    """Development keys, worked out once per secret: every encrypted cell of an import asks."""
    digest = hashlib.sha256(f"veteran-grid:{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def encryption_keys() -> tuple[str, ...]:
    return tuple(settings.FIELD_ENCRYPTION_KEYS) or (_derived("field-encryption").decode(),)


def hash_key() -> bytes:
    return settings.FIELD_HASH_KEY.encode() if settings.FIELD_HASH_KEY else _derived("field-hash")


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds an invalid Fernet key: {error}") from error


def encrypt(text: str) -> str:
    return _fernet(encryption_keys()).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(encryption_keys()).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEYS: was a key dropped too early?"
        ) from error


def reencrypt(token: str) -> str:
    """The same value under the newest key (for rotation)."""
    return _fernet(encryption_keys()).rotate(token.encode()).decode()


def normalise_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def normalise_phone(value: str) -> str:
    return re.sub(r"[^0-9+]", "", value or "")


def keyed_hash(value: str) -> str:
    """Hex HMAC of an already normalised value; "" for no value (so blanks never collide)."""
    if not value:
        return ""
    mac = _keyed_mac(hash_key()).copy()
    mac.update(value.encode())
    return mac.hexdigest()


@lru_cache(maxsize=4)
def _keyed_mac(key: bytes) -> hmac.HMAC:
    """The HMAC with its key already mixed in; copies of it hash three values per imported row."""
    return hmac.new(key, digestmod=hashlib.sha256)


def id_number_hash(value: str) -> str:
    return keyed_hash(normalise_id_number(value))


def phone_hash(value: str) -> str:
    return keyed_hash(normalise_phone(value))


@checks.register(checks.Tags.security, deploy=True)
def check_field_keys(app_configs=None, **kwargs):
    problems = []
    if not settings.FIELD_ENCRYPTION_KEYS:
        problems.append(
            checks.Error(
                "FIELD_ENCRYPTION_KEYS is not set: ID and phone numbers would be encrypted with a key "
                "derived from SECRET_KEY.",
                hint="Generate one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'` and set it in the environment.",
                id="core.E101",
            )
        )
    if not settings.FIELD_HASH_KEY:
        problems.append(
            checks.Error(
                "FIELD_HASH_KEY is not set: lookup hashes would use a key derived from SECRET_KEY.", id="core.E102"
            )
        )
    return problems
