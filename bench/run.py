"""`make bench`: builds (once) a city-sized PostgreSQL database, measures, prints a table and
writes bench/results.json. Later issues add their sections here."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def ensure_data(veterans: int, visits: int) -> None:
    from django.core.management import call_command

    from grids.models import District
    from veterans.models import Veteran

    if not District.objects.exists():
        print("building the area: a city of 5,000 grids", flush=True)
        call_command(
            "seed_demo",
            "--districts",
            "8",
            "--streets",
            "10",
            "--communities",
            "80",
            "--grids",
            "625",
            "--workers-per-grid",
            "1",
        )
    from visits.schedule import refresh_visit_schedule

    unscheduled = Veteran.objects.filter(visit_interval_days__isnull=True)
    if unscheduled.exists():
        print("computing visit due dates for records without them", flush=True)
        refresh_visit_schedule(unscheduled)
    missing = veterans - Veteran.objects.count()
    if missing > 0:
        print(f"adding {missing:,} veterans (COPY); this runs once and is reused", flush=True)
        call_command("seed_demo", "--veterans", str(missing))
    from visits.models import Visit

    missing_visits = visits - Visit.objects.count()
    if missing_visits > 0:
        print(f"adding {missing_visits:,} visits (COPY); this runs once and is reused", flush=True)
        call_command("seed_demo", "--visits", str(missing_visits))
    from bench.help_data import ensure_help_data

    ensure_help_data()
    from django.db import connection

    # As autovacuum would on a live system: statistics, and the visibility map that lets
    # COUNT(*) and scoped lists use index-only scans.
    print("VACUUM ANALYZE", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def print_table(results, header: bool = True) -> None:
    if header:
        print(f"\n{'measurement':<58} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8} {'rate':>14}  target")
    for r in results:
        rate = f"{r.rate:,.0f} {r.rate_unit}" if r.rate is not None else ""
        p50 = f"{r.p50_ms:.1f}" if r.p50_ms is not None else ""
        p95 = f"{r.p95_ms:.1f}" if r.p95_ms is not None else ""
        queries = str(r.queries) if r.queries is not None else ""
        verdict = "" if r.met is None else ("✓" if r.met else "✗ MISSED")
        print(f"{r.name:<58} {p50:>9} {p95:>9} {queries:>8} {rate:>14}  {r.target} {verdict}")
        if r.extra:
            print(f"{'':<4}{json.dumps(r.extra, ensure_ascii=False)}")


def _merged(fresh: list[dict]) -> list[dict]:
    """A run of some sections replaces its own rows of the last results and keeps the others."""
    try:
        previous = json.loads(RESULTS.read_text())["results"]
    except (OSError, ValueError, KeyError):
        previous = []
    by_name = {row["name"]: row for row in fresh}
    kept = [by_name.pop(row["name"], row) for row in previous]
    return kept + list(by_name.values())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--veterans", type=int, default=int(os.environ.get("BENCH_VETERANS", 1_000_000)))
    parser.add_argument("--visits", type=int, default=int(os.environ.get("BENCH_VISITS", 10_000_000)))
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument(
        "--sections",
        default="list,lookup,import,due,submit,reminders,approve,dashboard,card,duplicates,phone,print,admin,export,"
        "auditsearch,maps,replica,auditscale",
        help="comma-separated: list, lookup, import, due, submit, reminders, approve, dashboard, card,"
        " duplicates, phone, print, admin, export, auditsearch, maps, replica, auditscale (default: all)",
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("make bench needs PostgreSQL (DATABASE_URL); `make bench` starts one", file=sys.stderr)
        return 2
    started = time.monotonic()
    ensure_data(args.veterans, args.visits)
    from bench import veterans_bench

    def report(result) -> None:
        print_table([result], header=False)
        sys.stdout.flush()

    print_table([], header=True)
    sections = set(args.sections.split(","))
    results = veterans_bench.run(import_rows=args.import_rows, report=report, sections=sections)
    from bench import (
        assistance_bench,
        audit_scale,
        dashboard_bench,
        maps_bench,
        merging_bench,
        phone_bench,
        print_bench,
        replica_bench,
        scale_bench,
        viewlog_bench,
        visits_bench,
    )

    measures = {
        **visits_bench.MEASURES,
        **assistance_bench.MEASURES,
        **dashboard_bench.MEASURES,
        **viewlog_bench.MEASURES,
        **merging_bench.MEASURES,
        **phone_bench.MEASURES,
        **print_bench.MEASURES,
        **scale_bench.MEASURES,
        **maps_bench.MEASURES,
        **replica_bench.MEASURES,
        **audit_scale.MEASURES,
    }
    for name, measure in measures.items():
        if name in sections:
            for result in measure():
                report(result)
                results.append(result)
    print("\nsummary")
    print_table(results)
    summary = {
        "veterans": args.veterans,
        "visits": args.visits,
        "seconds": round(time.monotonic() - started),
        "results": _merged([r.as_dict() for r in results]),
    }
    RESULTS.write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
