"""Turns what locust recorded in `make load` into the table it prints and bench/load-results.json,
and decides the verdict: any failed request, server error or error inside a simulated person
fails the run. Plain Python (no locust, no Django), so the tests run it on made-up figures."""

import argparse
import json
import math
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Row:
    method: str
    name: str
    requests: int
    rate: float  # requests per second over the whole run
    p50_ms: float | None
    p95_ms: float | None
    failures: int
    server_errors: int  # 5xx answers


def histogram_percentile(times: Counter, share: float) -> float | None:
    """The smallest recorded time (locust keeps them rounded, with counts) that at least
    `share` of the requests did not exceed."""
    total = sum(times.values())
    if not total:
        return None
    needed = math.ceil(share * total)
    seen = 0
    for milliseconds in sorted(times):
        seen += times[milliseconds]
        if seen >= needed:
            return float(milliseconds)
    return float(max(times))


def _times(entry: dict) -> Counter:
    return Counter({float(ms): count for ms, count in entry.get("response_times", {}).items()})


def _server_errors(counts: dict[str, int]) -> int:
    return sum(n for status, n in counts.items() if status.isdigit() and int(status) >= 500)


def summarize(
    stats: list[dict], statuses: dict, *, users: int, seconds: float, workers: int, machine_load: float | None = None
) -> dict:
    """`stats`: locust's --json-file entries; `statuses`: the locustfile's status counts and errors."""
    starts = [e["start_time"] for e in stats if e.get("num_requests")]
    ends = [e["last_request_timestamp"] for e in stats if e.get("last_request_timestamp")]
    duration = (max(ends) - min(starts)) if starts and ends and max(ends) > min(starts) else float(seconds)
    by_status = statuses.get("statuses", {})
    rows, everything = [], Counter()
    for entry in sorted(stats, key=lambda e: (e["name"], e["method"])):
        times = _times(entry)
        everything.update(times)
        rows.append(
            Row(
                method=entry["method"],
                name=entry["name"],
                requests=entry["num_requests"],
                rate=round(entry["num_requests"] / duration, 1),
                p50_ms=histogram_percentile(times, 0.5),
                p95_ms=histogram_percentile(times, 0.95),
                failures=entry["num_failures"],
                server_errors=_server_errors(by_status.get(f"{entry['method']} {entry['name']}", {})),
            )
        )
    requests = sum(r.requests for r in rows)
    failures = sum(r.failures for r in rows)
    server_errors = sum(_server_errors(counts) for counts in by_status.values())
    messages = statuses.get("errors", {})
    return {
        "users": users,
        "seconds": seconds,
        "gunicorn_workers": workers,
        # The 1-minute load average just before the run: other work on the machine shares its cores.
        "machine_load_before": machine_load,
        "duration_s": round(duration, 1),
        "requests": requests,
        "requests_per_s": round(requests / duration, 1) if duration else 0.0,
        "p50_ms": histogram_percentile(everything, 0.5),
        "p95_ms": histogram_percentile(everything, 0.95),
        "failures": failures,
        "server_errors": server_errors,
        "error_messages": messages,
        "passed": requests > 0 and failures == 0 and server_errors == 0 and not messages,
        "endpoints": [asdict(r) for r in rows],
    }


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def render(summary: dict) -> str:
    lines = [f"{'method':<6} {'endpoint':<44} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}"]
    for row in summary["endpoints"]:
        lines.append(
            f"{row['method']:<6} {row['name']:<44} {row['requests']:>9} {row['rate']:>7.1f} "
            f"{_ms(row['p50_ms']):>7} {_ms(row['p95_ms']):>7} {row['failures']:>7}"
        )
    lines.append(
        f"{'':<6} {'total':<44} {summary['requests']:>9} {summary['requests_per_s']:>7.1f} "
        f"{_ms(summary['p50_ms']):>7} {_ms(summary['p95_ms']):>7} {summary['failures']:>7}"
    )
    lines.append(
        f"{summary['users']} users, {summary['duration_s']} s, gunicorn {summary['gunicorn_workers']} workers, "
        f"load average before {summary['machine_load_before']}; "
        f"failed requests {summary['failures']}, 5xx {summary['server_errors']}, "
        f"errors in simulated users {sum(summary['error_messages'].values())}"
    )
    for message, count in sorted(summary["error_messages"].items(), key=lambda item: -item[1])[:10]:
        lines.append(f"  {count:>5} × {message}")
    lines.append("PASSED: no errors" if summary["passed"] else "FAILED")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stats", type=Path, required=True)
    parser.add_argument("--statuses", type=Path, required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--machine-load", type=float, help="1-minute load average before the run")
    args = parser.parse_args(argv)
    if not args.stats.exists():
        print(f"no locust results at {args.stats}: locust did not finish", file=sys.stderr)
        return 1
    stats = json.loads(args.stats.read_text())
    statuses = json.loads(args.statuses.read_text()) if args.statuses.exists() else {"errors": {"no status file": 1}}
    summary = summarize(
        stats, statuses, users=args.users, seconds=args.seconds, workers=args.workers, machine_load=args.machine_load
    )
    args.output.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    print(render(summary))
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
