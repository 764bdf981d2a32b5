"""The board's 就业创业 figures, counted by hand: who is seeking work, who was placed this year
(a referral answered 已录用, or a status change into 已就业/自主创业 — not the registration of a
status already held), who is self-employed; the dead are left out; each link lists exactly them;
the nightly snapshot keeps them."""

import datetime

import pytest
from django.utils import timezone

from dashboard.figures import area_board
from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from employment.services import employment_status_change, job_referral_create, job_referral_result
from employment.tests.factories import make_profile
from grids.scoping import SYSTEM
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran

TODAY = timezone.localdate()
YOUNG = datetime.date(1988, 1, 2)


@pytest.fixture
def registry(tree, veterans, employer):
    """a11: 王德顺 seeking → hired by referral this year (placed); a11: 孙创业 registered as
    self-employed (an entrepreneur, not placed); a12: 周求职 seeking; a12: 吴去年 placed last year;
    a12: 郑已故 seeking but dead; b11: 李长青 seeking → self-employed this year (placed, entrepreneur)."""
    year_start = TODAY.replace(month=1, day=1)
    make_profile(veterans["mine"], since=year_start)
    referral = job_referral_create(
        person=veterans["mine"], employer=employer, position="司机", referred_on=year_start, acting_user=SYSTEM
    )
    job_referral_result(referral=referral, result="hired", result_on=TODAY, acting_user=SYSTEM)
    founder = make_veteran(tree["grid_a11"], name="孙创业", birth_date=YOUNG)
    make_profile(founder, status="self_employed", since=year_start)
    seeker = make_profile(make_veteran(tree["grid_a12"], name="周求职", birth_date=YOUNG), since=year_start)
    last_year = make_profile(
        make_veteran(tree["grid_a12"], name="吴去年", birth_date=YOUNG), since=datetime.date(TODAY.year - 2, 3, 1)
    )
    employment_status_change(
        profile=last_year, status="employed", changed_on=datetime.date(TODAY.year - 1, 6, 1), acting_user=SYSTEM
    )
    dead = make_veteran(tree["grid_a12"], name="郑已故", birth_date=YOUNG)
    make_profile(dead, since=year_start)
    veteran_update(veteran=dead, life_status="deceased", life_status_date=TODAY, acting_user=SYSTEM)
    theirs = make_profile(veterans["theirs"], since=year_start)
    employment_status_change(profile=theirs, status="self_employed", changed_on=TODAY, acting_user=SYSTEM)
    return {"seeker": seeker}


def test_the_figures_are_counted_by_hand(tree, people, registry):
    board = area_board(user=people["leader"], area=tree["district"])
    extra = board.total.extra
    assert (extra["employment_seeking"], extra["employment_placed_year"], extra["employment_entrepreneurs"]) == (
        1,
        2,
        2,
    )
    by_street = {
        street.name: {name: n for name, n in figures.extra.items() if name.startswith("employment_")}
        for street, figures in board.rows
    }  # this app's figures among every app's
    assert by_street["甲街道"] == {"employment_seeking": 1, "employment_placed_year": 1, "employment_entrepreneurs": 1}
    assert by_street["乙街道"] == {"employment_seeking": 0, "employment_placed_year": 1, "employment_entrepreneurs": 1}
    station_board = area_board(user=people["station"], area=tree["district"])
    assert station_board.total.extra["employment_placed_year"] == 1  # street b is not the station's


def test_each_link_lists_exactly_the_people_counted(client, tree, people, registry):
    from core.board_figures import figure_named

    client.force_login(people["leader"])
    expected = {
        "employment_seeking": {"周求职"},
        "employment_placed_year": {"王德顺", "李长青"},
        "employment_entrepreneurs": {"孙创业", "李长青"},
    }
    for name, names in expected.items():
        url = figure_named(name).link(tree["district"], TODAY)
        listed = client.get(url).context["cl"]
        assert {profile.person.name for profile in listed.queryset} == names, name


def test_the_snapshot_keeps_the_figures(tree, registry):
    snapshot_take(day=TODAY)
    stored = {s.grid_id: s.extra for s in GridSnapshot.objects.filter(day=TODAY)}
    assert stored[tree["grid_a11"].pk]["employment_placed_year"] == 1
    assert stored[tree["grid_a11"].pk]["employment_entrepreneurs"] == 1
    assert stored[tree["grid_a12"].pk].get("employment_seeking") == 1
    assert stored[tree["grid_b11"].pk]["employment_placed_year"] == 1
    assert sum(extra.get("employment_placed_year", 0) for extra in stored.values()) == 2
