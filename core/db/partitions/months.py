"""Months of a partitioned table: their arithmetic and names, what the catalogue lists, and the
owner's functions (migration core 0001) that add months and give them their parent's grants."""

import datetime

from django.conf import settings
from django.db import connection as default_connection
from django.utils import timezone


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


def month_partition_name(table: str, month: datetime.date) -> str:
    return f"{table}_p{month.year:04d}{month.month:02d}"


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
