"""The `make bench` phone rows run (here on a small world) and judge the byte budget."""

from bench.phone_bench import MEASURES, bench_phone
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


def test_phone_bench_rows_weigh_the_pages_and_the_snapshot(tree):
    make_staff(grids=[tree["grid_a11"]])
    for _ in range(3):
        make_veteran(tree["grid_a11"])
    pages, snapshot = bench_phone()
    assert pages.met is True and pages.extra["shell_bytes"] <= 150 * 1024
    assert set(pages.extra["pages_bytes"]) >= {"due list /m/", "card", "visit form", "offline page"}
    assert "3 people" in snapshot.name and snapshot.queries is not None
    assert MEASURES["phone"] is bench_phone
