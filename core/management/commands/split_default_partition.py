"""PostgreSQL: move the rows of a partitioned table's default partition into months of their own.

Rows dated outside every month (old visits imported, dates far ahead) sit in `<table>_default`,
which every query that cannot prune reads whole. Run this as the tables' owner (the role that runs
`migrate`), when convenient: each month moves in a transaction of its own (core.db.partitions).
"""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils.translation import gettext

from core.db.partitions import (
    default_rows_by_month,
    month_partition_name,
    partitioned_tables,
    split_default,
    table_owner,
)

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> datetime.date:
    found = MONTH.match(text)
    try:
        return datetime.date(int(found[1]), int(found[2]), 1)
    except (TypeError, ValueError):  # no match, or no such month (2019-13)
        raise CommandError(gettext("月份应写作 年-月，例如 2019-03：%(month)s") % {"month": text}) from None


def _month_text(month: datetime.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


class Command(BaseCommand):
    help = "PostgreSQL: move rows of the default partition into month partitions (visits, audit)."

    def add_arguments(self, parser):
        parser.add_argument("--table", help="one partitioned table (default: every one)")
        parser.add_argument("--month", help="one UTC month, YYYY-MM (default: every month in the default partition)")
        parser.add_argument("--dry-run", action="store_true", help="only count what would move")

    def handle(self, *args, table: str | None, month: str | None, dry_run: bool, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(gettext("SQLite 没有分区，无需拆分。"))
            return
        only_month = parse_month(month) if month else None
        if dry_run:
            line = gettext("%(table)s %(month)s：默认分区中有 %(rows)s 行，将移入 %(partition)s")
        else:
            line = gettext("%(table)s %(month)s：已将 %(rows)s 行从默认分区移入 %(partition)s")
        total_rows = total_months = 0
        for name in self._tables(table):
            for each, rows in default_rows_by_month(name, only_month).items():
                if not dry_run:  # month by month, so that what is done is said as it is done
                    rows = self._move(name, each)
                    if rows is None:  # its rows left the default meanwhile
                        continue
                partition = month_partition_name(name, each)
                self.stdout.write(
                    line % {"table": name, "month": _month_text(each), "rows": rows, "partition": partition}
                )
                total_rows += rows
                total_months += 1
        if dry_run:
            summary = gettext("试运行，未作改动：共 %(rows)s 行、%(months)s 个月待移出默认分区。")
        else:
            summary = gettext("共移动 %(rows)s 行，新建月分区 %(months)s 个。")
        self.stdout.write(summary % {"rows": total_rows, "months": total_months})

    def _move(self, table: str, month: datetime.date) -> int | None:
        try:
            return split_default(table, month).get(month)
        except (ValueError, DatabaseError) as error:  # this month rolled back, those before it kept
            raise CommandError(
                gettext("%(table)s %(month)s 未能移出默认分区（此前各月已移好）：%(error)s")
                % {"table": table, "month": _month_text(month), "error": error}
            ) from error

    def _tables(self, table: str | None) -> list[str]:
        """Only names the catalogue lists reach the SQL, and only tables this role may alter."""
        known = partitioned_tables(connection)
        if table is not None and table not in known:
            raise CommandError(
                gettext("没有名为 %(table)s 的分区表；可选：%(known)s")
                % {"table": table, "known": "、".join(known) or "-"}
            )
        tables = [table] if table else known
        for name in tables:
            owner, may_alter = table_owner(name, connection)
            if not may_alter:
                raise CommandError(
                    gettext("请以数据表所有者 %(owner)s 的身份运行（%(table)s 属于它）。")
                    % {"owner": owner, "table": name}
                )
        return tables
