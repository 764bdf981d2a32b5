# ruff: noqa: S608 (only identifiers from the catalogue and the migrations are formatted into SQL)
"""Monthly range partitions on PostgreSQL, for the tables that grow without end (visits, audit).

Native declarative partitioning: the table keeps its name and columns, and PostgreSQL routes
each row to the month of its key (`<table>_pYYYYMM`, UTC months), or to `<table>_default` when no
month is there (rows dated far back or ahead). Queries by area and date read only the months they
name; retention drops a month at once. A partitioned table's unique keys must hold the month key,
so its primary key becomes (id, key) in the database (Django still addresses rows by id, which
the identity sequence keeps unique) and nothing can point at it with a foreign-key constraint:
tables that refer to visits say `db_constraint=False` and rely on the models' `on_delete`.

Months are added ahead by a daily job (`core.tasks.add_month_partitions`, through the owner's
`vg_add_month_partitions`, migration core 0001): PostgreSQL's own engine, kept by a small beat
job rather than pg_partman, since the job is a dozen lines and needs no extension in every
bureau's database. Rows that land in the default partition anyway (old visits imported, dates
far ahead) are moved into months of their own by `split_default` (`manage.py
split_default_partition`). SQLite keeps plain tables: nothing here runs there.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

HISTORY_MONTHS = 120  # on conversion, older rows than ten years go to the default partition
COPY_BATCH = 50_000


@dataclass
class _Definitions:
    """What a table is besides its columns, as SQL that can be run again on its successor."""

    primary_key: list[str]
    uniques: list[tuple[str, list[str]]]
    constraints: list[tuple[str, str]]  # (name, definition): checks and outgoing foreign keys
    indexes: list[str]  # CREATE INDEX statements of indexes that back no constraint
    triggers: list[str]
    grants: list[tuple[str, str]]  # (grantee, privilege)
    identity: str  # "d" (by default), "a" (always) or ""


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


def is_partitioned(table: str, connection=default_connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row and row[0])


def partitions(table: str, connection=default_connection) -> list[str]:
    """The table's partitions by name, months in order and the default last."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    return sorted(names, key=lambda name: (name.endswith("_default"), name))


def partitioned_tables(connection=default_connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
            " WHERE c.relnamespace = current_schema()::regnamespace ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]


def add_month_partitions(table: str, first: datetime.date, last: datetime.date, connection=default_connection) -> int:
    """Empty months from `first` to `last` that are missing; returns how many were added."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT vg_add_month_partitions(%s::regclass, %s, %s)", [table, first, last])
        return cursor.fetchone()[0]


def add_months_ahead(connection=default_connection, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job's work: this month and the next PARTITION_MONTHS_AHEAD of every partitioned table."""
    if connection.vendor != "postgresql":
        return {}
    this_month = month_start(today or timezone.now().astimezone(datetime.UTC).date())
    last = add_months(this_month, settings.PARTITION_MONTHS_AHEAD)
    return {
        table: add_month_partitions(table, this_month, last, connection) for table in partitioned_tables(connection)
    }


def _mirror_grants(cursor, table: str) -> None:
    """Every partition gets exactly its parent's grants (the owner's function, migration core 0001)."""
    cursor.execute("SELECT vg_mirror_partition_acl(%s::regclass)", [table])


# --- converting a table, with its rows -------------------------------------------------------


def _definitions(cursor, table: str) -> _Definitions:
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid),"
        " ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = conrelid AND attnum = ANY(conkey)"
        "       ORDER BY array_position(conkey, attnum))"
        " FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY conname",
        [table],
    )
    primary_key, uniques, constraints = [], [], []
    for name, kind, definition, columns in cursor.fetchall():
        if kind == "p":
            primary_key = list(columns)
        elif kind == "u":
            uniques.append((name, list(columns)))
        elif kind in ("c", "f"):
            constraints.append((name, definition))
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = %s::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)"
        " ORDER BY i.indexrelid",
        [table],
    )
    # A partitioned table's own indexes read "ON ONLY": made again on the successor, they cover all.
    indexes = [row[0].replace(" ON ONLY ", " ON ", 1) for row in cursor.fetchall()]
    cursor.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
        " AND tgparentid = 0 ORDER BY tgname",
        [table],
    )
    triggers = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(acl.grantee::regrole::text) END,"
        " acl.privilege_type FROM pg_class c, aclexplode(c.relacl) acl"
        " WHERE c.oid = %s::regclass AND acl.grantee <> c.relowner",
        [table],
    )
    grants = list(cursor.fetchall())
    cursor.execute("SELECT attidentity FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'id'", [table])
    identity = cursor.fetchone()[0]
    return _Definitions(primary_key, uniques, constraints, indexes, triggers, grants, identity)


def _drop_references(cursor, table: str) -> list[str]:
    """Foreign-key constraints of other tables pointing here (none may point at a partitioned table)."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass",
        [table],
    )
    dropped = []
    for other, name in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {other} DROP CONSTRAINT "{name}"')
        dropped.append(f"{other}.{name}")
    return dropped


def _month_bounds(cursor, table: str, key: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    cursor.execute(f'SELECT MIN("{key}") FROM {table}')
    oldest = cursor.fetchone()[0]
    this_month = month_start(today)
    floor = add_months(this_month, -HISTORY_MONTHS)
    first = max(month_start(oldest.astimezone(datetime.UTC).date()), floor) if oldest else this_month
    return min(first, this_month), add_months(this_month, settings.PARTITION_MONTHS_AHEAD)


def rebuild(schema_editor, table: str, key: str, *, partitioned: bool, batch: int = COPY_BATCH) -> dict:
    """Rebuild `table` as a monthly-partitioned table (or back to a plain one) with all its rows.

    Inside the migration's transaction: the old table is renamed aside, the new one created with
    the same columns, defaults, identity, constraints, indexes, triggers and grants, the rows
    copied in batches of `batch` ids, and the old table dropped. Returns what it did, for tests.
    """
    connection = schema_editor.connection
    old = f"{table}_unpartitioned" if partitioned else f"{table}_partitioned"
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        definitions = _definitions(cursor, table)
        _check_uniques(definitions, key, partitioned)
        dropped_references = _drop_references(cursor, table)
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        max_id = cursor.fetchone()[0] or 0
        months = _month_bounds(cursor, table, key, timezone.now().astimezone(datetime.UTC).date())
        _set_aside(cursor, table, old, definitions)
        layout = f' PARTITION BY RANGE ("{key}")' if partitioned else ""
        cursor.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING STORAGE){layout}")
        if definitions.identity:
            kind = "ALWAYS" if definitions.identity == "a" else "BY DEFAULT"
            cursor.execute(
                f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED {kind} AS IDENTITY (START WITH {max_id + 1})"
            )
        if partitioned:
            cursor.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
            add_month_partitions(table, *months, connection=connection)
        copied = _copy_rows(cursor, old, table, max_id, batch)
        cursor.execute(f"DROP TABLE {old}")
        _restore(cursor, table, key, definitions, partitioned)
    return {"copied": copied, "dropped_references": dropped_references, "months": months}


def _check_uniques(definitions: _Definitions, key: str, partitioned: bool) -> None:
    if not partitioned:
        return
    for name, columns in definitions.uniques:
        if key not in columns:
            raise ValueError(f"unique constraint {name} ({', '.join(columns)}) must include {key} to be partitioned")


def _set_aside(cursor, table: str, old: str, definitions: _Definitions) -> None:
    """Rename the old table and free every name its successor takes again (its indexes, unique
    keys and identity sequence; check and foreign-key names belong to their table only)."""
    cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
    for name, _columns in definitions.uniques:
        cursor.execute(f'ALTER TABLE {old} DROP CONSTRAINT "{name}"')
    cursor.execute(
        "SELECT c.relname, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype = 'p')"
        " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass",
        [old],
    )
    for index_name, is_primary in cursor.fetchall():
        if is_primary:  # kept: the copy reads the old rows by id ranges
            cursor.execute(f'ALTER TABLE {old} RENAME CONSTRAINT "{index_name}" TO {old}_pkey')
        else:
            cursor.execute(f'DROP INDEX "{index_name}"')
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [old])
    sequence = cursor.fetchone()[0]
    if sequence:
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {old}_id_seq")


def _copy_rows(cursor, source: str, target: str, max_id: int, batch: int) -> int:
    copied, start = 0, 0
    while start < max_id:
        cursor.execute(
            f"INSERT INTO {target} SELECT * FROM {source} WHERE id > %s AND id <= %s", [start, start + batch]
        )
        copied += cursor.rowcount
        start += batch
    return copied


def _restore(cursor, table: str, key: str, definitions: _Definitions, partitioned: bool) -> None:
    primary_key = [column for column in definitions.primary_key if column != key] or ["id"]
    if partitioned:
        primary_key.append(key)
    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({', '.join(primary_key)})")
    for name, columns in definitions.uniques:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE ({", ".join(columns)})')
    for name, definition in definitions.constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for statement in definitions.indexes + definitions.triggers:
        cursor.execute(statement)
    for grantee, privilege in definitions.grants:
        cursor.execute(f"GRANT {privilege} ON {table} TO {grantee}")
    if partitioned:
        _mirror_grants(cursor, table)
    cursor.execute(f"ANALYZE {table}")


# --- moving the default partition's rows into months of their own ---------------------------

# Months Python's dates can name, with the month after: rows dated outside (year 9999, infinity)
# stay in the default partition.
_FIRST_NAMEABLE, _LAST_NAMEABLE = "0001-01-01 00:00:00+00", "9999-12-01 00:00:00+00"
_ENABLE = {"O": "ENABLE", "A": "ENABLE ALWAYS", "R": "ENABLE REPLICA"}


@dataclass
class _Layout:
    """A partitioned table as the catalogue has it: every name here comes from pg_catalog."""

    table: str
    key: str
    default: str
    owner: str
    columns: list[str]


def month_partition_name(table: str, month: datetime.date) -> str:
    return f"{table}_p{month.year:04d}{month.month:02d}"


def table_owner(table: str, connection=default_connection) -> tuple[str, bool]:
    """Who owns `table`, and whether the current role acts as that owner (and so may add months)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relowner::regrole::text, pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = to_regclass(%s)",
            [table],
        )
        return cursor.fetchone()


def default_rows_by_month(
    table: str, month: datetime.date | None = None, connection=default_connection
) -> dict[datetime.date, int]:
    """Rows in `table`'s default partition by UTC month (only `month` when given): what a split would move."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        return _rows_by_month(cursor, _layout(cursor, table, connection), month)


def split_default(
    table: str, month: datetime.date | None = None, connection=default_connection
) -> dict[datetime.date, int]:
    """Move the rows of `table`'s default partition into month partitions; returns rows moved by month.

    Every month found there (or only `month`) in a transaction of its own: a standalone table like
    the parent takes the month's rows out of the default partition and is then attached, so that
    PostgreSQL never refuses it for rows of its month in the default. Attaching gives it the
    parent's indexes, keys, foreign keys and row triggers; its grants are mirrored from the parent.
    """
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        layout = _layout(cursor, table, connection)
        months = _rows_by_month(cursor, layout, month)
    moved = {}
    for each in months:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            moved[each] = _move_month(cursor, layout, each, connection.ops.quote_name)
    return moved


def _layout(cursor, table: str, connection) -> _Layout:
    if table not in partitioned_tables(connection):
        raise ValueError(f"{table} is not a partitioned table")
    cursor.execute(
        "SELECT a.attname, NULLIF(p.partdefid, 0)::regclass::text, c.relowner::regrole::text"
        " FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
        " JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]"
        " WHERE p.partrelid = %s::regclass AND p.partstrat = 'r'",
        [table],
    )
    row = cursor.fetchone()
    if row is None or row[1] is None:
        raise ValueError(f"{table} is not partitioned by range with a default partition")
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
        " ORDER BY attnum",
        [table],
    )
    return _Layout(table, row[0], row[1], row[2], [column for (column,) in cursor.fetchall()])


def _utc_midnight(day: datetime.date) -> str:
    return f"{day.isoformat()} 00:00:00+00"


def _rows_by_month(cursor, layout: _Layout, month: datetime.date | None) -> dict[datetime.date, int]:
    """One grouped scan of the default partition (or of one month of it, through its key index)."""
    if month is None:
        lower, upper = _FIRST_NAMEABLE, _LAST_NAMEABLE
    else:
        lower, upper = _utc_midnight(month_start(month)), _utc_midnight(add_months(month, 1))
    key = f'"{layout.key}"'
    cursor.execute(
        f"SELECT date_trunc('month', {key} AT TIME ZONE 'UTC')::date, count(*) FROM {layout.default}"
        f" WHERE {key} >= %s AND {key} < %s GROUP BY 1 ORDER BY 1",
        [lower, upper],
    )
    return dict(cursor.fetchall())


def _move_month(cursor, layout: _Layout, month: datetime.date, quote) -> int:
    parent, default, key = quote(layout.table), layout.default, quote(layout.key)
    name = month_partition_name(layout.table, month)
    part = quote(name)
    lower, upper = _utc_midnight(month), _utc_midnight(add_months(month, 1))
    # Parent before partition, as every insert takes them; the default at once in the mode that
    # ATTACH needs, so no lock is ever upgraded (readers of the default wait for this month).
    cursor.execute(f"LOCK TABLE ONLY {parent} IN SHARE UPDATE EXCLUSIVE MODE")
    cursor.execute(f"LOCK TABLE {default} IN ACCESS EXCLUSIVE MODE")
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    if cursor.fetchone()[0]:
        raise ValueError(f"{name} exists already, but the default partition of {layout.table} holds its month")
    cursor.execute(
        f"CREATE TABLE {part} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED"
        " INCLUDING STORAGE)"
    )
    cursor.execute(f"ALTER TABLE {part} OWNER TO {layout.owner}")  # when run by a superuser
    # A check matching the bounds, made while the table is empty and kept by each row as it comes,
    # spares ATTACH a scan of the month (it still scans the default, which must hold none of it).
    bounds = quote(f"{name}_bounds")
    cursor.execute(f"ALTER TABLE {part} ADD CONSTRAINT {bounds} CHECK ({key} >= '{lower}' AND {key} < '{upper}')")
    columns = ", ".join(quote(column) for column in layout.columns)
    with _triggers_off(cursor, default, quote):
        cursor.execute(
            f"WITH moved AS (DELETE FROM {default} WHERE {key} >= %s AND {key} < %s RETURNING {columns})"
            f" INSERT INTO {part} ({columns}) SELECT {columns} FROM moved",
            [lower, upper],
        )
        moved = cursor.rowcount
    cursor.execute(f"ALTER TABLE {parent} ATTACH PARTITION {part} FOR VALUES FROM ('{lower}') TO ('{upper}')")
    cursor.execute(f"ALTER TABLE {part} DROP CONSTRAINT {bounds}")
    _mirror_grants(cursor, layout.table)
    cursor.execute(f"ANALYZE {part}")
    return moved


@contextlib.contextmanager
def _triggers_off(cursor, table: str, quote):
    """Moving is not deleting: the row triggers of `table` (the audit's append-only guard) stay quiet
    while the rows move, in this transaction that holds it locked, and are on again before anyone
    else can see it (a failure rolls the switch back with the rest)."""
    cursor.execute(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
        " AND tgenabled <> 'D' ORDER BY tgname",
        [table],
    )
    triggers = cursor.fetchall()
    for trigger, _mode in triggers:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {quote(trigger)}")
    yield
    for trigger, mode in triggers:
        cursor.execute(f"ALTER TABLE {table} {_ENABLE[mode]} TRIGGER {quote(trigger)}")
