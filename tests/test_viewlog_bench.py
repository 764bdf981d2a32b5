"""The `make bench` row of the phone card with its read log runs (here on a small world)."""

from audit.models import AuditAction, AuditEvent
from bench.viewlog_bench import MEASURES, bench_card_view
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


def test_card_view_bench_row_measures_one_query_more_than_without_the_log(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    for _ in range(3):
        make_veteran(tree["grid_a11"])
    [result] = bench_card_view()
    assert result.queries == result.extra["without_log_queries"] + 1
    assert result.p50_ms is not None and "read log" in result.name
    # 3 warm-up and 40 timed views with the log; none while it was switched off.
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=worker).count() == 43
    assert MEASURES["card"] is bench_card_view
