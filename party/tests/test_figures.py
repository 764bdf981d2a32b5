"""The 党员组织关系 figures, counted by hand: each on the board as the leader and as each
station sees it, linked to a list of exactly that many rows, and kept in the snapshot."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.figures import area_board
from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from dashboard.tests.test_links import counted_links
from grids.scoping import SYSTEM
from party.services import followup_bring_in, followup_open, life_record, membership_add
from veterans.tests.factories import make_veteran

FIGURES = ("party_outside", "party_followups_open", "party_brought_in_year", "party_life_attendance_year")


@pytest.fixture
def scene(tree, members, branches):
    """Outside: 王二 (a12, pocket, followed up) and 李长青 (b11, mobile). Not outside: 王德顺
    (brought in this year), 钱三 (pocket, but under a branch). Attendance: the branch's three
    members present at a lecture this year (counted); 赵振华 alone at one last year (not)."""
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 2)
    party = {"is_party_member": True}
    pocket_2 = make_veteran(tree["grid_a12"], name="王二", party_relation="pocket", **party)
    pocket_3 = make_veteran(tree["grid_a11"], name="钱三", party_relation="pocket", **party)
    membership_add(person=pocket_3, organisation=branches["a1"], joined_on=start, acting_user=SYSTEM)
    followup_open(person=pocket_2, acting_user=SYSTEM, opened_on=start)
    brought = followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=start)
    followup_bring_in(
        follow_up=brought, organisation=branches["a1"], joined_on=start, closed_on=start, acting_user=SYSTEM
    )
    membership_add(
        person=members["in_place"], organisation=branches["a1"], joined_on=datetime.date(2020, 1, 1), acting_user=SYSTEM
    )
    for held_on in (start, datetime.date(today.year - 1, 6, 1)):
        life = life_record(
            organisation=branches["a1"], kind="lecture", held_on=held_on, topic="党课", acting_user=SYSTEM
        )
        life.attendance.update(status="present")
    return tree


def _figures(board):
    return {name: board.total.extra.get(name, 0) for name in FIGURES}


def test_the_figures_are_counted_by_hand(scene, people):
    assert _figures(area_board(user=people["leader"], area=scene["district"])) == {
        "party_outside": 2,
        "party_followups_open": 1,
        "party_brought_in_year": 1,
        "party_life_attendance_year": 3,
    }
    assert _figures(area_board(user=people["station"], area=scene["street_a"])) == {
        "party_outside": 1,
        "party_followups_open": 1,
        "party_brought_in_year": 1,
        "party_life_attendance_year": 3,
    }
    assert _figures(area_board(user=people["other_station"], area=scene["street_b"])) == {
        "party_outside": 1,
        "party_followups_open": 0,
        "party_brought_in_year": 0,
        "party_life_attendance_year": 0,
    }


@pytest.mark.parametrize("who", ["leader", "station", "other_station"])
def test_every_party_figure_links_to_exactly_its_rows(client, scene, people, who):
    client.force_login(people[who])
    page = client.get(reverse("dashboard:board")).content.decode()
    links = [(href, shown) for href, shown in counted_links(page) if "/admin/party/" in href]
    assert len({href.split("?")[0] for href, _n in links}) == 3  # members, follow-ups, attendance
    for href, shown in links:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.context["cl"].result_count == shown, href


def test_the_snapshot_keeps_the_figures_per_grid(scene):
    today = timezone.localdate()
    snapshot_take(day=today)
    stored = {s.grid_id: s.extra for s in GridSnapshot.objects.filter(day=today)}
    assert stored[scene["grid_a12"].pk]["party_outside"] == 1
    assert stored[scene["grid_a12"].pk]["party_followups_open"] == 1
    assert stored[scene["grid_b11"].pk]["party_outside"] == 1
    assert stored[scene["grid_a11"].pk]["party_brought_in_year"] == 1
    assert stored[scene["grid_a12"].pk]["party_life_attendance_year"] == 1
    assert sum(extra.get("party_outside", 0) for extra in stored.values()) == 2


def test_the_hashed_rule_the_board_counts_by_picks_the_same_members(scene):
    from party.selectors import outside_q
    from veterans.models import Veteran

    def ids(condition):
        return set(Veteran.objects.filter(condition).values_list("pk", flat=True))

    assert ids(outside_q(hashed=True)) == ids(outside_q()) and ids(outside_q())
