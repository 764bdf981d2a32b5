"""Bulk loading for demo and benchmark data: PostgreSQL COPY, or bulk_create elsewhere.

COPY moves a million rows in seconds where ORM inserts take many minutes; ids are reserved
from the table's identity sequence first, so child rows can point at their parents.
"""

import datetime
import io
import re
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model

from core.crypto import encrypt


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's sequence (PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")


def _text(value) -> str:
    """One value in COPY's text format. Runs for every cell of a 100,000-row import: strings,
    the common case, are checked first, and escaped only when they hold a special character."""
    if type(value) is str:
        return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    text = str(value)
    return text.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows (tuples in `columns` order, db column names, clear values) into the model's
    table; encrypted columns are encrypted here, as a save would."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    sealed = [i for i, column in enumerate(columns) if getattr(fields.get(column), "encrypted", False)]
    if sealed:
        rows = (_sealed(row, sealed) for row in rows)
    return copy_lines(model, columns, ("\t".join(_text(value) for value in row) + "\n" for row in rows))


def _sealed(row: Sequence, positions: list[int]) -> list:
    row = list(row)
    for i in positions:
        if row[i]:
            row[i] = encrypt(row[i])
    return row


def copy_lines(model: type[Model], columns: Sequence[str], lines: Iterable[str]) -> int:
    """COPY lines already in PostgreSQL's text format (tab-separated, newline-terminated)."""
    buffer = io.StringIO()
    count = 0
    for line in lines:
        buffer.write(line)
        count += 1
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    # The raw driver cursor bypasses Django's error translation; restore it (IntegrityError...).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(f"COPY {table} ({column_list}) FROM STDIN", buffer)
    return count
