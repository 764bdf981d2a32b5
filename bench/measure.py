"""Timing helpers: server-side time of in-process requests, with their query counts."""

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    rate: float | None = None
    rate_unit: str = ""
    target: str = ""
    met: bool | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def time_calls(call: Callable[[int], object], repeats: int = 50, warmup: int = 3) -> tuple[list[float], int]:
    """Milliseconds of each call (after warm-up) and the query count of the last one."""
    for i in range(warmup):
        call(i)
    timings = []
    queries = 0
    for i in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call(i)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return timings, queries


def summarise(name: str, timings: list[float], queries: int, **kwargs) -> Result:
    return Result(
        name=name,
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        queries=queries,
        **kwargs,
    )
