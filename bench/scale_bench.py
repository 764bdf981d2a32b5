"""Issue 22 figures: no admin list slower than a second at city scale, the visits ledger export
against the plain openpyxl write-only floor, and the auditor's search.

- `admin`: the visits ledger, the veteran list and the audit list, first page and page 50, with a
  filter and with a search, as city-wide and district station staff (and an auditor): p95 ≤ 1 s.
- `export`: a district's visits (up to EXPORT_ROWS) through the background export's own path
  (exports.services.export_build), in rows per second, against reading the same columns and
  writing them with openpyxl write-only and nothing else: ≥ 80 % of that floor.
- `auditsearch`: the auditor's search for one person's name: p95 ≤ 300 ms.
"""

import resource
import secrets
import tempfile
import time

from django.db.models import Count
from django.test import Client
from openpyxl import Workbook

from accounts.testing import verified_login
from bench.measure import Result, summarise, time_calls
from exports.models import ExportJob
from exports.services import export_build, export_start
from grids.models import AreaLevel, District, Role, the_city
from grids.scoping import SYSTEM
from grids.services import staff_account_create
from veterans.models import Veteran
from visits.exports import _COLUMNS
from visits.models import Visit

EXPORT_ROWS = 100_000
LIST_TARGET_MS = 1000
SEARCH_TARGET_MS = 300


def _account(role: str, level: str, area) -> object:
    return staff_account_create(
        username=f"bench_{role}_{level}_{secrets.token_hex(3)}",
        password=secrets.token_urlsafe(24),
        full_name="压测账号",
        role=role,
        scope_level=level,
        area=area,
        acting_user=SYSTEM,
    ).user


def _page_timer(client: Client, path: str, params: dict):
    def fetch(_i):
        response = client.get(path, params)
        assert response.status_code == 200, (path, params, response.status_code)

    return fetch


def bench_admin_lists() -> list[Result]:
    district = District.objects.order_by("id").first()
    name = Veteran.objects.filter(district=district).values_list("name", flat=True).first()
    viewers = {
        "city station": _account(Role.STATION_STAFF, AreaLevel.CITY, the_city()),
        "district station": _account(Role.STATION_STAFF, AreaLevel.DISTRICT, district),
    }
    pages = {
        "visits": ("/admin/visits/visit/", [{}, {"p": 50}, {"method__exact": "home"}, {"q": name}]),
        "veterans": ("/admin/veterans/veteran/", [{}, {"p": 50}, {"life_status__exact": "alive"}, {"q": name}]),
    }
    results = []
    for who, user in viewers.items():
        client = Client()
        verified_login(client, user)  # station staff pass the second factor first, as they must
        for list_name, (path, variants) in pages.items():
            for params in variants:
                timings, queries = time_calls(_page_timer(client, path, params), repeats=10, warmup=1)
                label = ", ".join(f"{k}={v}" for k, v in params.items()) or "first page"
                result = summarise(
                    f"admin {list_name} list, {who}: {label}", timings, queries, target=f"p95 ≤ {LIST_TARGET_MS} ms"
                )
                result.met = result.p95_ms <= LIST_TARGET_MS
                results.append(result)
    return results


def _rows_per_second(rows: int, seconds: float) -> float:
    return round(rows / seconds, 1) if seconds else 0.0


def bench_export() -> list[Result]:
    busiest = Visit.objects.values("district_id").annotate(n=Count("id")).order_by("-n").first()
    district = District.objects.get(pk=busiest["district_id"])
    station = _account(Role.STATION_STAFF, AreaLevel.DISTRICT, district)
    last = Visit.objects.filter(district=district).order_by("visited_at", "id").values_list("visited_at", flat=True)
    cutoff = last[min(EXPORT_ROWS, busiest["n"]) - 1]
    visits = Visit.objects.filter(district=district, visited_at__lte=cutoff)

    # The floor: the same columns read, written by openpyxl write-only, nothing else.
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("floor")
    floor_rows = 0
    for row in visits.order_by("visited_at", "id").values_list(*_COLUMNS).iterator(chunk_size=5000):
        sheet.append([value.isoformat() if hasattr(value, "isoformat") else value for value in row])
        floor_rows += 1
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
    floor_seconds = time.perf_counter() - started

    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    job = export_start(ledger_key="visits", queryset=visits, acting_user=station)
    started = time.perf_counter()
    job = export_build(job.pk)
    seconds = time.perf_counter() - started
    memory_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    job.file.delete(save=False)
    ExportJob.objects.filter(pk=job.pk).delete()

    rate, floor_rate = _rows_per_second(job.done, seconds), _rows_per_second(floor_rows, floor_seconds)
    share = round(100 * rate / floor_rate, 1) if floor_rate else 0.0
    result = Result(
        name=f"visits ledger export, {job.done:,} rows of one district (background job)",
        rate=rate,
        rate_unit="rows/s",
        target="≥ 80 % of openpyxl write-only on the same rows",
        met=share >= 80,
        extra={
            "floor_rows_per_s": floor_rate,
            "share_of_floor_percent": share,
            "seconds": round(seconds, 1),
            "peak_rss_growth_mb": round((memory_after - memory_before) / 1024, 1),
        },
    )
    return [result]


def bench_audit_search() -> list[Result]:
    district = District.objects.order_by("id").first()
    auditor = _account(Role.AUDITOR, AreaLevel.DISTRICT, district)
    names = list(Veteran.objects.filter(district=district).values_list("name", flat=True)[:20])
    client = Client()
    verified_login(client, auditor)

    def search(i):
        assert client.get("/admin/audit/auditevent/", {"q": names[i % len(names)]}).status_code == 200

    timings, queries = time_calls(search, repeats=20, warmup=2)
    from audit.models import AuditEvent

    rows = AuditEvent.objects.count()
    result = summarise(
        f"auditor's search of a person's name ({rows:,} audit rows)",
        timings,
        queries,
        target=f"p95 ≤ {SEARCH_TARGET_MS} ms",
    )
    result.met = result.p95_ms <= SEARCH_TARGET_MS
    return [result]


MEASURES = {"admin": bench_admin_lists, "export": bench_export, "auditsearch": bench_audit_search}
