# ruff: noqa: S608 (only identifiers from the catalogue are formatted into SQL)
"""Moving the rows of a partitioned table's default partition into months of their own (`manage.py
split_default_partition`): each month in a transaction of its own, as a standalone table that is
filled and then attached."""

import contextlib
import datetime
from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import transaction

from core.db.partitions.months import _mirror_grants, add_months, month_partition_name, month_start, partitioned_tables

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

    The months are listed by one grouped scan, without locks (or are the one `month` given, not
    counted first); each is looked at again under its locks, where a month whose rows left the
    default meanwhile (a split run at the same time) is passed over.
    """
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        layout = _layout(cursor, table, connection)
        months = [month_start(month)] if month else list(_rows_by_month(cursor, layout, None))
    moved = {}
    for each in months:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            rows = _move_month(cursor, layout, each, connection.ops.quote_name)
        if rows is not None:
            moved[each] = rows
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


def _move_month(cursor, layout: _Layout, month: datetime.date, quote) -> int | None:
    """The month's rows moved into a partition of their own; None when the default holds none of them."""
    parent, default, key = quote(layout.table), layout.default, quote(layout.key)
    name = month_partition_name(layout.table, month)
    part = quote(name)
    lower, upper = _utc_midnight(month), _utc_midnight(add_months(month, 1))
    # Parent before partition, as every insert takes them; the default at once in the mode that
    # ATTACH needs, so no lock is ever upgraded (readers of the default wait for this month).
    cursor.execute(f"LOCK TABLE ONLY {parent} IN SHARE UPDATE EXCLUSIVE MODE")
    cursor.execute(f"LOCK TABLE {default} IN ACCESS EXCLUSIVE MODE")
    # The check that holds: only under these locks can no one else move the month meanwhile.
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {key} >= %s AND {key} < %s)", [lower, upper])
    if not cursor.fetchone()[0]:
        return None
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
