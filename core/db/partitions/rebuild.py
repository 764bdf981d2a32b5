# ruff: noqa: S608 (only identifiers from the catalogue and the migrations are formatted into SQL)
"""Converting a plain table into a monthly-partitioned one with all its rows, or back (migrations
visits 0010 and audit 0013): everything the table is besides its columns is read from the
catalogue first and made again on its successor."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.db.partitions.months import _mirror_grants, add_month_partitions, add_months, month_start

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
