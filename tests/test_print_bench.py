"""The `make bench` print row runs (here on a small community) and leaves nothing behind."""

from bench.print_bench import MEASURES, bench_print
from grids.tests.factories import StreetFactory
from printing.models import PrintBatch
from veterans.models import Veteran


def test_print_bench_row_times_a_batch_and_rolls_it_back(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    StreetFactory()
    (row,) = bench_print(people=4)
    assert row.extra["people"] == 4 and row.extra["pages"] >= 4 and row.rate > 0
    assert row.rate_unit == "pages/s" and row.met is True
    assert not Veteran.objects.exists() and not PrintBatch.objects.exists()
    assert not any((tmp_path / "media").rglob("*.pdf"))
    assert MEASURES["print"] is bench_print
