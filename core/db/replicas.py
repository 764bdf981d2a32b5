"""Read replicas (PostgreSQL streaming replication): reads that may be a few seconds stale go to a
replica, everything else to the primary.

Stale reads are opted into where they are harmless — the dashboards, the statistics API, exports
and ledgers, the admin's list pages, the beat jobs' counting — by `stale_reads()` (a context
manager and decorator). Inside it the router answers a replica only when
- replicas are configured (settings.DATABASE_REPLICA_URLS) and enabled (READ_REPLICAS),
- the reader has not written in the last REPLICA_STICKY_SECONDS (read-your-writes: the request's
  user is marked on each write request by ReadYourWritesMiddleware, if they may read stale pages
  at all: `may_read_stale`),
- no transaction is open on the primary (a transaction reads what it wrote),
- the replica is up and lags at most REPLICA_MAX_LAG_SECONDS (checked at most every
  REPLICA_CHECK_SECONDS per process; a down or lagging replica is skipped until the next check).
Without replicas nothing changes: every read goes to the primary.
"""

import contextlib
import contextvars
import functools
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_PREFIX = "replica_"

# The replica chosen for the reads of the current `stale_reads()` block (None: the primary).
_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("replica_chosen", default=None)
# The request being served, so a stale-read block knows whose writes to honour.
_request: contextvars.ContextVar[object | None] = contextvars.ContextVar("replica_request", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def replica_databases(urls: str, primary: dict) -> dict:
    """settings.DATABASES entries for a comma-separated list of replica URLs. In tests a replica
    mirrors the primary's test database (a read-only standby cannot create one)."""
    import dj_database_url

    entries = {}
    for number, url in enumerate(filter(None, (part.strip() for part in urls.split(","))), start=1):
        entry = dj_database_url.parse(url, conn_max_age=primary.get("CONN_MAX_AGE", 0))
        entry["OPTIONS"] = {**primary.get("OPTIONS", {}), "connect_timeout": 2}
        entry["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
        entries[f"{REPLICA_PREFIX}{number}"] = entry
    return entries


# --- read-your-writes -----------------------------------------------------------------------------


def _write_key(user_id: int) -> str:
    return f"replicas:wrote:{user_id}"


def mark_write(user_id: int) -> None:
    """The user just wrote: their next few seconds of reads go to the primary."""
    cache.set(_write_key(user_id), time.time(), settings.REPLICA_STICKY_SECONDS)


def may_read_stale(user) -> bool:
    """Whether any page or endpoint that reads stale is open to the user: the admin's lists (staff)
    and those guarded by settings.REPLICA_READER_PERMISSIONS (the dashboard, the statistics API).
    Only their writes need a mark: a grid worker's phone submits visits all day and reads none of
    them, and marking each submit would cost a cache write for nothing. A new stale-read view
    open to others must add its permission there."""
    return user.is_staff or any(user.has_perm(permission) for permission in settings.REPLICA_READER_PERMISSIONS)


def wrote_recently(user_id: int) -> bool:
    return cache.get(_write_key(user_id)) is not None


def _reader_id() -> int | None:
    request = _request.get()
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


@contextlib.contextmanager
def serving(request):
    """Set by the middleware around each request."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


# --- replica health --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaState:
    alias: str
    up: bool
    lag_seconds: float | None  # None when down

    @property
    def usable(self) -> bool:
        return self.up and self.lag_seconds is not None and self.lag_seconds <= settings.REPLICA_MAX_LAG_SECONDS

    def as_dict(self) -> dict:
        lag = None if self.lag_seconds is None else round(self.lag_seconds, 3)
        return {"alias": self.alias, "up": self.up, "lag_seconds": lag, "usable": self.usable}


_checked: dict[str, tuple[float, ReplicaState]] = {}


def _measure(alias: str) -> ReplicaState:
    """Lag in seconds: 0 when the replica has replayed all the primary has written; otherwise the
    time since the last transaction it replayed."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary_lsn = cursor.fetchone()[0]
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()),"
                " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())",
                [primary_lsn],
            )
            in_recovery, behind_bytes, since_replay = cursor.fetchone()
    except Exception:  # down, refused, timed out, not PostgreSQL: skip it either way
        with contextlib.suppress(Exception):
            connections[alias].close()
        return ReplicaState(alias, up=False, lag_seconds=None)
    if not in_recovery:  # promoted or misconfigured: not a replica of ours any more
        return ReplicaState(alias, up=False, lag_seconds=None)
    lag = 0.0 if behind_bytes is not None and behind_bytes <= 0 else float(since_replay or 0)
    return ReplicaState(alias, up=True, lag_seconds=lag)


def replica_state(alias: str, *, fresh: bool = False) -> ReplicaState:
    now = time.monotonic()
    checked = _checked.get(alias)
    if fresh or checked is None or now - checked[0] > settings.REPLICA_CHECK_SECONDS:
        checked = (now, _measure(alias))
        _checked[alias] = checked
    return checked[1]


def replica_states(*, fresh: bool = False) -> list[ReplicaState]:
    return [replica_state(alias, fresh=fresh) for alias in replica_aliases()]


def forget_replica_states() -> None:
    _checked.clear()


# --- choosing ---------------------------------------------------------------------------------------


def choose_replica() -> str | None:
    """A usable replica for stale reads now, or None for the primary."""
    if not settings.READ_REPLICAS:
        return None
    aliases = replica_aliases()
    if not aliases:
        return None
    reader = _reader_id()
    if reader is not None and wrote_recently(reader):
        return None
    usable = [alias for alias in aliases if replica_state(alias).usable]
    return random.choice(usable) if usable else None


class stale_reads(contextlib.ContextDecorator):
    """`with stale_reads():` / `@stale_reads()`: the reads inside may come from a replica."""

    def __enter__(self):
        self._token = _chosen.set(choose_replica())
        return _chosen.get()

    def __exit__(self, *exc):
        _chosen.reset(self._token)
        return False


def stale_reads_view(view):
    """A view whose reads may be stale (GET and HEAD only: a POST to it may act on what it reads)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with stale_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads inside `stale_reads()` to its replica; all else primary."""

    def db_for_read(self, model, **hints):
        alias = _chosen.get()
        if alias is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # Explicitly the primary: an object read from a replica earlier must not drag its
            # related reads there outside a stale-read block.
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, several copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
