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

Three parts, by what calls them: `months` (the catalogue, month arithmetic and the daily job),
`rebuild` (a migration turning a table into a partitioned one with its rows, or back) and `split`
(the command moving the default partition's rows into months). Import from the package.
"""

from core.db.partitions.months import (
    add_month_partitions,
    add_months,
    add_months_ahead,
    is_partitioned,
    month_partition_name,
    month_start,
    partitioned_tables,
    partitions,
)
from core.db.partitions.rebuild import COPY_BATCH, HISTORY_MONTHS, rebuild
from core.db.partitions.split import default_rows_by_month, split_default, table_owner

__all__ = [
    "COPY_BATCH",
    "HISTORY_MONTHS",
    "add_month_partitions",
    "add_months",
    "add_months_ahead",
    "default_rows_by_month",
    "is_partitioned",
    "month_partition_name",
    "month_start",
    "partitioned_tables",
    "partitions",
    "rebuild",
    "split_default",
    "table_owner",
]
