from django.utils import timezone

from grids.scoping import SYSTEM
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran
from wishes.selectors import coverage_by_area, wish_coverage, wish_detail_for, wishes_for
from wishes.tests.factories import make_wish


def _street_a_cast(tree, people, korean_war_veteran):
    """Street A, counted by hand: 6 living Korean War veterans.

    with a wish:  zhang (collected), li (fulfilled), zhao (confirmed)  → 3, of whom 2 fulfilled
    missed:       wang (no wish), liu (only a cancelled wish), chen (no wish) → 3
    not counted:  sun (deceased, even with a wish), zhou (not Korean War), b_street (in street B)
    """
    cast = {
        "zhang": korean_war_veteran("grid_a11", name="张"),
        "li": korean_war_veteran("grid_a11", name="李"),
        "zhao": korean_war_veteran("grid_a21", name="赵"),
        "wang": korean_war_veteran("grid_a11", name="王"),
        "liu": korean_war_veteran("grid_a12", name="刘"),
        "chen": korean_war_veteran("grid_a22", name="陈"),
        "sun": korean_war_veteran("grid_a11", name="孙"),
        "zhou": make_veteran(tree["grid_a11"], name="周"),
        "b_street": korean_war_veteran("grid_b11", name="乙街老兵"),
    }
    make_wish(cast["zhang"], people, upto="collected")
    make_wish(cast["li"], people, upto="fulfilled")
    make_wish(cast["zhao"], people, upto="confirmed")
    make_wish(cast["zhao"], people, upto="cancelled", title="另一个心愿")  # a second wish counts once
    make_wish(cast["liu"], people, upto="cancelled")
    make_wish(cast["sun"], people, upto="collected")
    veteran_update(
        veteran=cast["sun"], life_status="deceased", life_status_date=timezone.localdate(), acting_user=SYSTEM
    )
    make_wish(cast["zhou"], people, upto="collected")
    return cast


def test_coverage_of_korean_war_veterans_counts_by_hand(tree, people, korean_war_veteran):
    cast = _street_a_cast(tree, people, korean_war_veteran)
    figures = wish_coverage(user=people["station"], category="korean_war")
    assert (figures.target, figures.with_wish, figures.fulfilled, figures.missed) == (6, 3, 2, 3)
    assert figures.share == 50.0
    assert {v.name for v in figures.missing} == {"王", "刘", "陈"}  # the cancelled-only wish counts as missed
    assert cast["b_street"] not in figures.missing


def test_coverage_is_scoped_and_can_be_narrowed_to_an_area(tree, people, korean_war_veteran):
    _street_a_cast(tree, people, korean_war_veteran)
    street_b = wish_coverage(user=people["station_b"])
    assert (street_b.target, street_b.with_wish, [v.name for v in street_b.missing]) == (1, 0, ["乙街老兵"])
    district = wish_coverage(user=people["leader"])
    assert (district.target, district.missed) == (7, 4)
    grid = wish_coverage(user=people["station"], area=tree["grid_a11"])
    assert (grid.target, grid.with_wish, [v.name for v in grid.missing]) == (3, 2, ["王"])
    worker = wish_coverage(user=people["worker"])  # a grid worker sees only their grid
    assert (worker.target, worker.with_wish) == (3, 2)


def test_coverage_by_area_splits_the_figures_one_level_down(tree, people, korean_war_veteran):
    _street_a_cast(tree, people, korean_war_veteran)
    rows = {
        row["area_id"]: row
        for row in coverage_by_area(user=people["station"], category="korean_war", level="community")
    }
    a1, a2 = rows[tree["community_a1"].pk], rows[tree["community_a2"].pk]
    assert (a1["target"], a1["with_wish"], a1["fulfilled"]) == (4, 2, 1)
    assert (a2["target"], a2["with_wish"], a2["fulfilled"]) == (2, 1, 1)
    assert set(rows) == {tree["community_a1"].pk, tree["community_a2"].pk}


def test_coverage_runs_a_fixed_number_of_queries(tree, people, korean_war_veteran, django_assert_max_num_queries):
    _street_a_cast(tree, people, korean_war_veteran)
    for index in range(5):
        korean_war_veteran("grid_a12", name=f"新{index}")
    user = people["station"]
    user.refresh_from_db()
    with django_assert_max_num_queries(3):  # scope, counts, the list with its areas
        figures = wish_coverage(user=user)
        rows = [(v.name, v.grid.name, v.community.name, v.street.name) for v in figures.missing]
    assert len(rows) == 8


def test_wishes_of_another_area_are_not_seen(tree, people):
    mine = make_wish(make_veteran(tree["grid_a11"]), people)
    other = make_wish(make_veteran(tree["grid_b11"]), people)
    assert list(wishes_for(user=people["worker"])) == [mine]
    assert wish_detail_for(user=people["worker"], pk=other.pk) is None
    assert wish_detail_for(user=people["station_b"], pk=other.pk) == other
    assert set(wishes_for(user=people["leader"])) == {mine, other}
