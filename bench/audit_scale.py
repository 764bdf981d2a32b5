"""The audit table at province size: 50,000,000 events over twelve months, partitioned by month.

`make bench` (section `auditscale`) runs this on a PostgreSQL cluster of its own
(/tmp/veteran-grid-audit-bench, kept between runs), so the city database and its other rows stay
as they are. The first run writes the rows (about half an hour on two cores, with the indexes
built after the load); later runs only write the month that the last run's retention dropped.

Measured: the auditor's search of one person's file (by the file's number and by name) and the
auditor's first page, p95 ≤ 300 ms; and the daily retention job dropping an expired month, ≤ 1 s.

    python -m bench.audit_scale --child --rows N   (inside the cluster's environment: prints JSON)
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import Result

ROOT = Path(__file__).resolve().parent.parent
STATE = os.environ.get("AUDIT_BENCH_STATE", "/tmp/veteran-grid-audit-bench")  # noqa: S108 (as make bench)
ENV_FILE = ROOT / "var" / "audit-bench.env"
ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", 50_000_000))
KEPT_MONTHS = 12  # the last twelve months (this one included) hold ROWS between them
CHUNK = 1_000_000
PEOPLE = 1_000_000  # files whose reads the events record
SEARCH_TARGET_MS = 300
DROP_TARGET_S = 1.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "建国军华明德志勇永平海林文忠伟东兴成福金玉秀英桂兰凤珍春红云光荣庆喜山水宝贵"


def bench_audit_scale() -> list[Result]:
    """The parent's part: start the audit cluster, migrate it, run the child, stop the cluster."""
    services = {
        **os.environ,
        "VG_STATE_DIR": STATE,
        "VG_ENV_FILE": str(ENV_FILE),
        "VG_DB_NAME": "veteran_grid_audit",
        "PG_FSYNC": "off",
        "PG_SHARED_BUFFERS": "1GB",
    }
    for name in ("VG_REPLICA", "VG_PGBOUNCER"):
        services.pop(name, None)
    subprocess.run([str(ROOT / "scripts" / "services.sh"), "start"], env=services, check=True, capture_output=True)
    try:
        child = {key: value for key, value in os.environ.items() if key not in ("DATABASE_REPLICA_URLS",)}
        for line in ENV_FILE.read_text().splitlines():
            key, _, value = line.removeprefix("export ").partition("=")
            child[key] = value
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=child, check=True)
        done = subprocess.run(
            [python, "-m", "bench.audit_scale", "--child", "--rows", str(ROWS)],
            cwd=ROOT,
            env=child,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        return [Result(**row) for row in json.loads(done.stdout.strip().splitlines()[-1])]
    finally:
        subprocess.run([str(ROOT / "scripts" / "services.sh"), "stop"], env=services, capture_output=True)


# --- the child, inside the audit cluster's environment ---------------------------------------


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _months(today: datetime.date) -> list[datetime.date]:
    """The month the retention job will drop (older than a year), then the twelve kept."""
    from core.db.partitions import add_months

    this_month = today.replace(day=1)
    return [add_months(this_month, -offset) for offset in range(KEPT_MONTHS, -1, -1)]


def _month_rows(cursor, month: datetime.date) -> int:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"audit_auditevent_p{month:%Y%m}"])
    if not cursor.fetchone()[0]:
        return 0
    cursor.execute(f"SELECT count(*) FROM audit_auditevent_p{month:%Y%m}")  # noqa: S608 (a month's name)
    return cursor.fetchone()[0]


def _fill_month(cursor, month: datetime.date, rows: int, actors: list[tuple[int, str]]) -> None:
    """`rows` reads, updates and exports of people's files, spread evenly over the month."""
    from core.db.partitions import add_month_partitions, add_months

    add_month_partitions("audit_auditevent", month, month)
    start = datetime.datetime.combine(month, datetime.time(), tzinfo=datetime.UTC)
    end = datetime.datetime.combine(add_months(month, 1), datetime.time(), tzinfo=datetime.UTC)
    end = min(end, datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1))
    ids = [actor for actor, _name in actors]
    names = [name for _actor, name in actors]
    for first in range(0, rows, CHUNK):
        count = min(CHUNK, rows - first)
        cursor.execute(
            """
            INSERT INTO audit_auditevent (occurred_at, actor_id, actor_username, ip_address, action, result,
                                          object_type, object_id, object_repr, detail)
            SELECT %(start)s + ((g::float8 / %(rows)s) * extract(epoch FROM %(end)s - %(start)s)) * interval '1 second',
                   (%(ids)s::integer[])[1 + g %% %(actors)s], (%(names)s::text[])[1 + g %% %(actors)s],
                   ('10.' || (g %% 200) || '.' || ((g / 200) %% 250) || '.' || (1 + g %% 97))::inet,
                   CASE WHEN g %% 10 < 7 THEN 'view' WHEN g %% 10 < 9 THEN 'update' ELSE 'export' END,
                   'success', 'veterans.veteran', person::text,
                   substr(%(surnames)s, 1 + person %% 50, 1) || substr(%(given)s, 1 + (person / 50) %% 50, 1)
                       || substr(%(given)s, 1 + (person / 2500) %% 50, 1),
                   '{}'::jsonb
            FROM generate_series(%(first)s, %(last)s) AS g,
                 LATERAL (SELECT (1 + (g::bigint * 7919) %% %(people)s)::integer) AS p(person)
            """,
            {
                "start": start,
                "end": end,
                "rows": rows,
                "ids": ids,
                "names": names,
                "actors": len(ids),
                "surnames": SURNAMES,
                "given": GIVEN,
                "first": first,
                "last": first + count - 1,
                "people": PEOPLE,
            },
        )
        cursor.execute("COMMIT; BEGIN")  # a chunk at a time, so a long load shows its progress
        _say(f"  audit {month:%Y-%m}: {first + count:,} / {rows:,}")


def _rebuild_indexes_around(cursor, load) -> None:
    """A bulk load without the indexes, then each built once (as a restore would)."""
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = 'audit_auditevent'::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    load()
    cursor.execute("SET maintenance_work_mem = '1GB'")
    for name, definition in indexes:
        _say(f"  index {name}")
        cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
        cursor.execute("COMMIT; BEGIN")
    cursor.execute("ANALYZE audit_auditevent")


def _ensure_rows(total: int) -> tuple[int, int]:
    """The twelve kept months and the expired one, each with its share; returns (kept, expired)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from grids.models import District

    if not District.objects.exists():
        call_command("seed_demo", "--veterans", "40", "--visits", "0", stdout=open(os.devnull, "w"))  # noqa: SIM115
    district = District.objects.order_by("id").first()
    actors = list(
        get_user_model().objects.filter(staff_profile__district=district).order_by("id").values_list("id", "username")
    )
    per_month = total // KEPT_MONTHS
    months = _months(datetime.date.today())
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        missing = {month: per_month for month in months if _month_rows(cursor, month) < per_month * 0.99}
        for month in missing:
            cursor.execute("SELECT to_regclass(%s)", [f"audit_auditevent_p{month:%Y%m}"])
            if cursor.fetchone()[0]:
                cursor.execute(f"TRUNCATE audit_auditevent_p{month:%Y%m}")  # a load cut short: again, whole

        def load():
            for month, rows in missing.items():
                _fill_month(cursor, month, rows, actors)

        if len(missing) > 2:
            _rebuild_indexes_around(cursor, load)
        else:
            load()
        cursor.execute("COMMIT")
        kept = sum(_month_rows(cursor, month) for month in months[1:])
        return kept, _month_rows(cursor, months[0])


def _measure(kept: int, expired: int) -> list[Result]:
    from django.db import connection
    from django.test import Client

    from accounts.testing import verified_login
    from audit.models import AuditEvent
    from audit.retention import purge_expired, retention_days
    from bench.measure import summarise, time_calls
    from bench.scale_bench import _account
    from grids.models import AreaLevel, District, Role

    district = District.objects.order_by("id").first()
    client = Client()
    verified_login(client, _account(Role.AUDITOR, AreaLevel.DISTRICT, district))
    people = [str(1 + (n * 104_729) % PEOPLE) for n in range(1, 40)]
    names = list(
        AuditEvent.objects.filter(object_id__in=people[:20], object_type="veterans.veteran")
        .values_list("object_repr", flat=True)
        .distinct()[:20]
    )
    page = "/admin/audit/auditevent/"
    results = []
    for title, queries in (
        ("auditor's search of one person's file by its number", people),
        ("auditor's search of one person's file by name", names),
        ("auditor's first page, no search", [""]),
    ):

        def fetch(i, queries=queries):
            response = client.get(page, {"q": queries[i % len(queries)]} if queries[0] else {})
            assert response.status_code == 200, response.status_code

        timings, count = time_calls(fetch, repeats=20, warmup=2)
        result = summarise(
            f"{title} ({kept:,} audit rows by month)", timings, count, target=f"p95 ≤ {SEARCH_TARGET_MS} ms"
        )
        result.met = result.p95_ms <= SEARCH_TARGET_MS
        results.append(result)
    # The nightly job on the day the oldest month has all passed the retention period.
    oldest_kept = _months(datetime.date.today())[1]
    day = datetime.datetime.combine(oldest_kept, datetime.time(), tzinfo=datetime.UTC)
    started = time.perf_counter()
    removed = purge_expired(now=day + datetime.timedelta(days=retention_days()))
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_auditevent'::regclass")
        months_left = cursor.fetchone()[0]
    results.append(
        Result(
            name=f"audit retention: an expired month dropped ({removed:,} rows)",
            p50_ms=round(seconds * 1000, 1),
            target=f"≤ {DROP_TARGET_S:.0f} s",
            met=removed >= expired > 0 and seconds <= DROP_TARGET_S,
            extra={"rows_removed": removed, "seconds": round(seconds, 3), "partitions_left": months_left},
        )
    )
    return results


MEASURES = {"auditscale": bench_audit_scale}


def child(rows: int) -> None:
    from bench.run import setup_django

    setup_django()
    _say(f"audit table: making sure of {rows:,} events in twelve months (plus one expired)")
    kept, expired = _ensure_rows(rows)
    print(json.dumps([result.as_dict() for result in _measure(kept, expired)], ensure_ascii=False))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--rows", type=int, default=ROWS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.rows)
    else:
        for result in bench_audit_scale():
            print(json.dumps(result.as_dict(), ensure_ascii=False))
