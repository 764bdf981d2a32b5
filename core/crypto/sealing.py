"""Encrypting a table's personal columns in place: once when a column becomes encrypted (a
migration), and again whenever keys rotate (`manage.py rotate_field_keys`). Batches by id, raw
SQL (historical models cannot be trusted to know whether a value is clear or sealed), and one
statement per batch on PostgreSQL."""

from collections.abc import Callable

from core.crypto import cipher

BATCH = 5_000
Hashes = dict[str, tuple[str, Callable[[str], str]]]  # hash column → (clear column, hash function)


def reseal_table(connection, table: str, columns: list[str], hashes: Hashes | None = None, *, clear: bool) -> int:
    """Encrypt (clear=True: the columns hold clear text) or re-encrypt under the newest key
    (clear=False) every value of `columns`, and recompute `hashes`. Returns the rows touched."""
    hashes = hashes or {}
    qn = connection.ops.quote_name
    targets = [*columns, *hashes]
    last_id, touched = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {', '.join(qn(c) for c in columns)} FROM {qn(table)} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last_id, BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            return touched
        updates = [
            (pk, *_resealed(dict(zip(columns, values, strict=True)), columns, hashes, clear)) for pk, *values in rows
        ]
        _write(connection, table, targets, updates)
        last_id, touched = rows[-1][0], touched + len(rows)


def _resealed(values: dict, columns: list[str], hashes: Hashes, clear: bool) -> list:
    plain = {c: (v if clear or not v else cipher.decrypt(v)) for c, v in values.items()}
    sealed = [(cipher.encrypt(v) if clear else cipher.reencrypt(values[c])) if v else v for c, v in plain.items()]
    return [*sealed, *(function(plain[source] or "") for source, function in hashes.values())]


def _write(connection, table: str, targets: list[str], updates: list[tuple]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            assignments = ", ".join(f"{qn(c)} = v.{qn(c)}" for c in targets)
            names = ", ".join(qn(c) for c in ["id", *targets])
            execute_values(
                cursor.cursor,
                f"UPDATE {qn(table)} AS t SET {assignments} FROM (VALUES %s) AS v({names}) WHERE t.id = v.id",  # noqa: S608
                updates,
                page_size=len(updates),
            )
        else:
            assignments = ", ".join(f"{qn(c)} = %s" for c in targets)
            cursor.executemany(
                f"UPDATE {qn(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                [(*values, pk) for pk, *values in updates],
            )
