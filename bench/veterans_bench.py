"""Issue 3 figures: import rows/s and peak memory, list API page, ID-number lookup."""

import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from bench.measure import Result, summarise, time_calls
from bench.xlsx_fixture import write_import_file
from core.crypto.cipher import id_number_hash
from grids.models import District, Role, StaffProfile
from veterans.models import Veteran
from veterans.selectors import veterans_for

ROOT = Path(__file__).resolve().parent.parent


def _district_station_user():
    profile = (
        StaffProfile.objects.filter(role=Role.STATION_STAFF, scope_level="district")
        .select_related("user")
        .order_by("id")
        .first()
    )
    return profile.user


def _leader():
    """A district's leader: the list a bureau sees (a city-wide leader would page through the whole city)."""
    leaders = StaffProfile.objects.filter(role=Role.BUREAU_LEADER, scope_level="district")
    return leaders.select_related("user").order_by("id").first().user


def bench_import(rows: int) -> Result:
    user = _district_station_user()
    last_id = Veteran.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "import.xlsx")
        numbers = write_import_file(path, rows, seed=rows)
        _remove_leftovers(numbers)
        output = subprocess.run(
            [sys.executable, "-m", "bench.import_worker", path, user.username],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=os.environ.copy(),
        ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    _remove_imported(last_id)
    if "error" in figures:
        raise RuntimeError(figures["error"])
    return Result(
        name=f"import {rows:,} rows (check + write)",
        rate=figures["rows_per_s_overall"],
        rate_unit="rows/s",
        target="≥ 2,000 rows/s",
        met=figures["rows_per_s_overall"] >= 2000,
        extra=figures,
    )


def _remove_leftovers(numbers: list[str]) -> None:
    """An interrupted earlier run may have written the same rows and never removed them: they
    would all be refused as duplicates. Found by the keyed hash, as the import itself finds them."""
    leftover = []
    for start in range(0, len(numbers), 5000):
        hashes = [id_number_hash(number) for number in numbers[start : start + 5000]]
        leftover += Veteran.objects.filter(id_number_hash__in=hashes).values_list("id", flat=True)
    if leftover:
        print(f"removing {len(leftover):,} rows left by an interrupted import", flush=True)
        _remove_ids(leftover)


def _remove_ids(ids: list[int]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("veterans_veteranchange", "veterans_prioritycare", "veterans_familymember", "veterans_honour"):
            cursor.execute(f"DELETE FROM {table} WHERE veteran_id = ANY(%s)", [ids])  # noqa: S608 (constant names)
        cursor.execute("DELETE FROM veterans_veteran WHERE id = ANY(%s)", [ids])


def _remove_imported(after_id: int) -> None:
    """Keep the benchmark database the same size from run to run: the import is the only writer
    while it runs, so its rows are those above the last id before it (plain SQL deletes: the
    ORM's cascade collector would load every row first)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("veterans_veteranchange", "veterans_prioritycare", "veterans_familymember", "veterans_honour"):
            cursor.execute(f"DELETE FROM {table} WHERE veteran_id > %s", [after_id])  # noqa: S608 (constant names)
        cursor.execute("DELETE FROM veterans_veteran WHERE id > %s", [after_id])
        # Vacuum now: left to autovacuum, a million-row table's vacuum would run on the same two
        # cores as the next section's measurements.
        cursor.execute("VACUUM (ANALYZE) veterans_veteran, veterans_prioritycare, veterans_veteranchange")


def bench_list_api() -> list[Result]:
    leader = _leader()
    client = APIClient()
    client.force_authenticate(leader)
    total = Veteran.objects.count()
    visible = veterans_for(user=leader).count()
    pages = max(1, min(visible // 50, 200))
    rng = random.Random(5)

    def first_page(_i):
        assert client.get("/api/veterans/").status_code == 200

    def random_page(_i):
        assert client.get(f"/api/veterans/?page={rng.randint(1, pages)}").status_code == 200

    def filtered(_i):
        assert client.get("/api/veterans/?category=disabled&page=2").status_code == 200

    results = []
    for name, call in (("first page", first_page), ("random page ≤200", random_page), ("filtered page", filtered)):
        timings, queries = time_calls(call, repeats=30)
        label = f"veteran list API, {name} (district {visible:,} of {total:,})"
        results.append(summarise(label, timings, queries))
    return results


def bench_id_lookup() -> list[Result]:
    leader = _leader()
    in_scope = veterans_for(user=leader)
    top = in_scope.order_by("-id").values_list("id", flat=True).first()
    rng = random.Random(9)
    numbers = [
        number
        for pk in rng.sample(range(1, top), 400)
        for number in in_scope.filter(pk=pk).values_list("id_number", flat=True)
    ][:60]
    client = APIClient()
    client.force_authenticate(leader)

    def by_api(i):
        response = client.get(f"/api/veterans/?q={numbers[i % len(numbers)]}")
        assert response.json()["count"] == 1

    def by_orm(i):
        Veteran.objects.filter(id_number_hash=id_number_hash(numbers[i % len(numbers)])).first()

    api_timings, api_queries = time_calls(by_api, repeats=50)
    orm_timings, orm_queries = time_calls(by_orm, repeats=50)
    return [
        summarise("ID-number lookup via API search", api_timings, api_queries),
        summarise("ID-number lookup, keyed hash + indexed query", orm_timings, orm_queries),
    ]


def run(*, import_rows: int, report, sections: set[str]) -> list[Result]:
    """Each figure is reported as soon as it is measured."""
    assert District.objects.exists(), "seed the benchmark database first"
    get_user_model()  # settings loaded
    results = []
    measures = {
        "list": bench_list_api,
        "lookup": bench_id_lookup,
        "import": lambda: [bench_import(10_000), bench_import(import_rows)],
    }
    for name, measure in measures.items():
        if name not in sections:
            continue
        for result in measure():
            report(result)
            results.append(result)
    return results
