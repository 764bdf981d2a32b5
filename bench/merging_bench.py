"""Issue 17 figure: the nightly near-duplicate search over the whole city (1,000,000 files).

The search runs as the nightly job does (merging.tasks.find_duplicates → merging.finder), inside a
transaction that is rolled back, so every run measures the same work on the same data."""

import time

from django.db import connection, transaction

from bench.measure import Result
from grids.scoping import SYSTEM
from merging.finder import pairs_find
from veterans.models import Veteran

TARGET_SECONDS = 300


class _RollBack(Exception):
    pass


def bench_duplicates() -> list[Result]:
    files = Veteran.objects.filter(removed_at__isnull=True).count()
    queries_before = len(connection.queries)
    started = time.monotonic()
    found = 0
    try:
        with transaction.atomic():
            found = pairs_find(acting_user=SYSTEM)
            raise _RollBack
    except _RollBack:
        pass
    seconds = time.monotonic() - started
    return [
        Result(
            name=f"nightly duplicate search, {files:,} files",
            p50_ms=seconds * 1000,
            queries=len(connection.queries) - queries_before if connection.queries_logged else None,
            rate=files / seconds if seconds else None,
            rate_unit="files/s",
            target=f"≤ {TARGET_SECONDS // 60} min",
            met=seconds <= TARGET_SECONDS,
            extra={"seconds": round(seconds, 1), "new_pairs": found},
        )
    ]


MEASURES = {"duplicates": bench_duplicates}
