"""What every request of a logged-in user needs to know about them (their permission set, their
area scope), kept in the shared cache between requests.

Worked out from the database these cost three joined queries per request, more than the rest
of a typical write. Entries are stamped with a generation; any change to roles, groups,
permissions or scopes starts a new generation once it commits (accounts.signals), which
retires every entry at once. A lost generation key (cache flushed) starts a new one too, so an
entry is never trusted without its stamp matching.

Until the change commits, the connection that made it sees data nobody else does (and that a
rollback may undo): it neither reads nor writes the cache meanwhile.
"""

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)
GENERATION_KEY = "user-facts:generation"
FACTS = ("permissions", "scope", "has_authenticator")


def _key(fact: str, user_pk) -> str:
    return f"user-facts:{fact}:{user_pk}"


def _loaded(user) -> dict[str, Any]:
    """The generation and the user's cached entries, in one round trip, once per user object
    (i.e. once per request)."""
    loaded = getattr(user, "_user_facts", None)
    if loaded is None:
        keys = [GENERATION_KEY, *(_key(fact, user.pk) for fact in FACTS)]
        try:
            found = cache.get_many(keys)
            generation = found.get(GENERATION_KEY)
            if generation is None:
                cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
                generation = cache.get(GENERATION_KEY)
        except Exception:  # the cache is an optimisation: without it, ask the database
            logger.warning("user facts cache unavailable", exc_info=True)
            found, generation = {}, None
        loaded = {"generation": generation, **{fact: found.get(_key(fact, user.pk)) for fact in FACTS}}
        user._user_facts = loaded
    return loaded


def _changed_here() -> bool:
    """Whether this connection holds uncommitted changes of roles, permissions or scopes."""
    if not getattr(connection, "user_facts_changed", False):
        return False
    if connection.in_atomic_block:
        return True
    connection.user_facts_changed = False  # outside a transaction nothing is pending (it rolled back)
    return False


def remembered(user, fact: str, compute: Callable[[], Any]) -> Any:
    """`compute()` for this user, or its cached value from the current generation."""
    if getattr(user, "pk", None) is None or _changed_here():
        return compute()
    loaded = _loaded(user)
    generation, entry = loaded["generation"], loaded[fact]
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    if generation is not None:
        # Stamped with the generation read *before* computing: a change committed meanwhile
        # has started a newer one, so this entry is never used after it.
        loaded[fact] = (generation, value)
        try:
            cache.set(_key(fact, user.pk), loaded[fact], settings.USER_FACTS_CACHE_SECONDS)
        except Exception:
            logger.warning("user facts cache unavailable", exc_info=True)
    return value


def _committed() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    connection.user_facts_changed = False


def forget_everyone() -> None:
    """Retire every cached entry when the current transaction commits (at once outside one)."""
    connection.user_facts_changed = True
    transaction.on_commit(_committed)


def forget_user(user) -> None:
    """Drop what this user object has loaded (the next read goes to the cache or database)."""
    if hasattr(user, "_user_facts"):
        del user._user_facts
