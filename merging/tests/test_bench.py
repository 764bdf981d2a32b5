from bench.merging_bench import bench_duplicates
from merging.models import DuplicatePair
from veterans.tests.factories import make_veteran


def test_bench_row_measures_the_nightly_search_and_writes_nothing(tree):
    make_veteran(tree["grid_a11"], name="张建国", phone="")
    make_veteran(tree["grid_b11"], name="张建国", phone="")

    [result] = bench_duplicates()

    assert result.extra["new_pairs"] == 1 and result.met is True
    assert result.name == "nightly duplicate search, 2 files"
    assert not DuplicatePair.objects.exists()  # rolled back: the next run measures the same work


def test_finder_query_count_does_not_grow_with_the_files(tree, django_assert_max_num_queries):
    from grids.scoping import SYSTEM
    from merging.finder import pairs_find

    for index in range(30):
        make_veteran(tree["grid_a11"], name=f"测试{index % 10}", phone=f"1390000{index % 7:04d}")

    with django_assert_max_num_queries(8):
        pairs_find(acting_user=SYSTEM)

    assert DuplicatePair.objects.exists()
