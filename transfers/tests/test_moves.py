"""Moves on the dashboard (迁入迁出): both sides' figures per area, with dates, in the scope."""

import datetime

from django.utils import timezone

from grids.scoping import SYSTEM
from transfers.models import Transfer
from transfers.selectors import move_figures, move_totals, recent_moves
from transfers.services import person_move_out, person_record_death
from transfers.tests.factories import make_move
from veterans.tests.factories import make_veteran

YEAR = timezone.localdate().year


def figures(rows: list[dict], *names: str) -> dict:
    return {row["name"]: tuple(row[name] for name in names) for row in rows}


def test_a_move_between_streets_is_out_for_the_sender_and_in_for_the_receiver(tree, cast):
    make_move(tree, cast, "a11", "b11")
    rows = move_figures(user=cast["leader"], year=YEAR, area=tree["district"])
    assert figures(rows, "moved_in", "moved_out") == {"甲街道": (0, 1), "乙街道": (1, 0)}
    assert {row["level"] for row in rows} == {"street"}
    assert move_totals(rows) == {
        "moved_in": 1,
        "moved_out": 1,
        "pending_in": 0,
        "pending_out": 0,
        "left_system": 0,
        "deceased": 0,
    }
    # Each station sees its own side, per community.
    sender_rows = move_figures(user=cast["station_a"], year=YEAR, area=tree["street_a"])
    assert figures(sender_rows, "moved_in", "moved_out") == {"a1社区": (0, 1)}
    receiver_rows = move_figures(user=cast["station_b"], year=YEAR, area=tree["street_b"])
    assert figures(receiver_rows, "moved_in", "moved_out") == {"b1社区": (1, 0)}


def test_a_move_accepted_last_year_is_not_this_years(tree, cast):
    transfer = make_move(tree, cast, "a11", "b11")
    last_july = timezone.make_aware(datetime.datetime(YEAR - 1, 7, 1, 10))
    Transfer.objects.filter(pk=transfer.pk).update(decided_at=last_july)
    assert move_figures(user=cast["leader"], year=YEAR, area=tree["district"]) == []
    last_year = move_figures(user=cast["leader"], year=YEAR - 1, area=tree["district"])
    assert figures(last_year, "moved_in", "moved_out") == {"甲街道": (0, 1), "乙街道": (1, 0)}


def test_a_move_inside_one_community_does_not_count_for_the_street(tree, cast):
    make_move(tree, cast, "a11", "a12")
    assert move_figures(user=cast["leader"], year=YEAR, area=tree["district"]) == []
    assert move_figures(user=cast["station_a"], year=YEAR, area=tree["street_a"]) == []
    # For the community it is a move between two of its grids.
    rows = move_figures(user=cast["station_a"], year=YEAR, area=tree["community_a1"])
    assert figures(rows, "moved_in", "moved_out") == {"a1-1网格": (0, 1), "a1-2网格": (1, 0)}
    assert {row["level"] for row in rows} == {"grid"}


def test_a_station_sees_its_own_streets_moves_only(tree, cast):
    make_move(tree, cast, "b11", "a11", name="甲迁入")  # received by street a: its move too
    make_move(tree, cast, "b11", "b21", name="乙内部")  # between street b's communities
    make_move(tree, cast, "b12", "b22", name="乙待接收", decide=None)
    make_veteran(tree["grid_b11"], name="乙已故", life_status="deceased", life_status_date=timezone.localdate())
    station = cast["station_a"]
    # Even asked for the whole district, the station's figures hold street a's side alone.
    rows = move_figures(user=station, year=YEAR, area=tree["district"])
    assert [(row["name"], row["moved_in"], row["moved_out"]) for row in rows] == [("甲街道", 1, 0)]
    assert move_totals(rows)["pending_in"] == move_totals(rows)["deceased"] == 0
    assert move_figures(user=station, year=YEAR, area=tree["street_b"]) == []
    assert [move["veteran_name"] for move in recent_moves(user=station, area=tree["street_a"])] == ["甲迁入"]
    # Street b's station sees the same move as its move out, and its own inside moves.
    rows_b = move_figures(user=cast["station_b"], year=YEAR, area=tree["street_b"])
    assert figures(rows_b, "moved_in", "moved_out", "pending_in", "pending_out", "deceased") == {
        "b1社区": (0, 2, 0, 1, 1),
        "b2社区": (1, 0, 1, 0, 0),
    }


def test_pending_transfers_count_as_waiting_on_both_sides_and_rejected_ones_not_at_all(tree, cast):
    make_move(tree, cast, "a11", "b11", decide=None)
    make_move(tree, cast, "a12", "b12", name="李退回", decide="reject")
    rows = move_figures(user=cast["leader"], year=YEAR, area=tree["district"])
    assert figures(rows, "pending_in", "pending_out", "moved_in", "moved_out") == {
        "甲街道": (0, 1, 0, 0),
        "乙街道": (1, 0, 0, 0),
    }


def test_people_who_left_the_installation_or_died_this_year(tree, cast):
    today = timezone.localdate()
    leaving = make_veteran(tree["grid_a11"], name="冯外迁")
    person_move_out(veteran=leaving, destination="四川省成都市", moved_on=today, acting_user=cast["station_a"])
    dying = make_veteran(tree["grid_b21"], name="褚故去")
    person_record_death(veteran=dying, died_on=today, acting_user=cast["station_b"])
    make_veteran(
        tree["grid_b21"], name="去年故", life_status="deceased", life_status_date=datetime.date(YEAR - 1, 6, 1)
    )
    rows = move_figures(user=cast["leader"], year=YEAR, area=tree["district"])
    assert figures(rows, "left_system", "deceased", "moved_in", "moved_out") == {
        "甲街道": (1, 0, 0, 0),
        "乙街道": (0, 1, 0, 0),
    }
    assert figures(move_figures(user=cast["station_b"], year=YEAR, area=tree["street_b"]), "deceased") == {
        "b2社区": (1,)
    }


def test_recent_moves_carry_the_date_and_both_places(tree, cast):
    first = make_move(tree, cast, "a11", "b11", name="先迁")
    make_move(tree, cast, "a12", "b12", name="后迁")
    make_move(tree, cast, "a21", "b21", name="未接收", decide=None)
    Transfer.objects.filter(pk=first.pk).update(decided_at=timezone.now() - datetime.timedelta(days=3))
    moves = recent_moves(user=cast["leader"], area=tree["district"])
    assert [m["veteran_name"] for m in moves] == ["后迁", "先迁"]
    assert moves[1]["moved_on"] == timezone.localdate() - datetime.timedelta(days=3)
    district = tree["district"].name
    assert moves[1]["from_area"] == f"{district} 甲街道 a1社区 a1-1网格"
    assert moves[1]["to_area"] == f"{district} 乙街道 b1社区 b1-1网格"
    assert [m["veteran_name"] for m in recent_moves(user=cast["leader"], area=tree["district"], limit=1)] == ["后迁"]


def test_the_figures_cost_three_queries_however_many_areas_and_moves(tree, cast, django_assert_num_queries):
    leader = cast["leader"]
    move_figures(user=leader, year=YEAR, area=tree["district"])  # the leader's scope, loaded once
    with django_assert_num_queries(3):
        assert move_figures(user=leader, year=YEAR, area=tree["district"]) == []
    for number, (source, target) in enumerate([("a11", "b11"), ("a12", "b22"), ("b21", "a21"), ("a22", "b12")]):
        make_move(tree, cast, source, target, name=f"迁移{number}", decide="accept" if number % 2 else None)
    person_record_death(veteran=make_veteran(tree["grid_a11"]), died_on=timezone.localdate(), acting_user=SYSTEM)
    with django_assert_num_queries(3):
        rows = move_figures(user=leader, year=YEAR, area=tree["district"])
    assert len(rows) == 2 and move_totals(rows)["pending_out"] == 2
    with django_assert_num_queries(1):
        assert len(recent_moves(user=leader, area=tree["district"])) == 2
