"""The board's 志愿服务与转介 figures, hand-counted: per area in scope, linked to lists of exactly
those rows, and kept in the nightly snapshot."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from dashboard.tests.test_links import counted_links
from referrals.services import referral_answer, referral_cancel, referral_close
from referrals.tests.factories import make_referral
from veterans.tests.factories import make_veteran


@pytest.fixture
def placed(tree, people, veterans, providers):
    """a11: one overdue (referred 10 days ago, follow-up a week later), one accepted and due
    ahead; a12: one closed today; b11: one overdue, one cancelled, one declined."""
    today = timezone.localdate()
    station, center, canteen = people["station"], people["center"], providers["canteen"]
    make_referral(veterans["mine"], canteen, by=people["worker"])
    ahead = make_referral(veterans["mine"], providers["hospital"], by=people["worker"], referred_on=today)
    referral_answer(referral=ahead, accepted=True, answered_on=today, acting_user=station)
    neighbour = make_veteran(tree["grid_a12"], name="赵大海")
    closed = make_referral(neighbour, canteen, by=station, referred_on=today)
    referral_answer(referral=closed, accepted=True, answered_on=today, acting_user=station)
    referral_close(referral=closed, outcome="已助餐", closed_on=today, acting_user=station)
    theirs = veterans["theirs"]
    make_referral(theirs, canteen, by=people["other_worker"])
    referral_cancel(referral=make_referral(theirs, canteen, by=center), reason="重复", acting_user=center)
    declined = make_referral(theirs, canteen, by=center, referred_on=today)
    referral_answer(referral=declined, accepted=False, note="满员", answered_on=today, acting_user=center)


EXPECTED = {
    "district": {"referrals_open": 3, "referrals_overdue": 2, "referrals_closed_year": 1},
    "street_a": {"referrals_open": 2, "referrals_overdue": 1, "referrals_closed_year": 1},
}


@pytest.mark.parametrize(("viewer", "area"), [("leader", "district"), ("station", "street_a")])
def test_the_figures_are_hand_counted_and_linked_to_exactly_their_rows(client, tree, people, placed, viewer, area):
    client.force_login(people[viewer])
    response = client.get(reverse("dashboard:board"), {"level": tree[area].level, "id": tree[area].pk})
    assert response.status_code == 200
    total = response.context["total"]
    assert {name: total.value(name) for name in EXPECTED[area]} == EXPECTED[area]
    page = response.content.decode()
    assert 'id="figures-referrals"' in page
    links = [(href, shown) for href, shown in counted_links(page) if "/admin/referrals/referral/" in href]
    assert len(links) >= 3
    for href, shown in links:
        assert client.get(href).context["cl"].result_count == shown, href


def test_the_figures_are_kept_in_the_nightly_snapshot(tree, placed):
    today = timezone.localdate()
    snapshot_take(day=today)
    stored = {s.grid_id: s.extra for s in GridSnapshot.objects.filter(day=today)}
    assert stored[tree["grid_a11"].pk]["referrals_open"] == 2
    assert stored[tree["grid_a11"].pk]["referrals_overdue"] == 1
    assert stored[tree["grid_a12"].pk]["referrals_closed_year"] == 1
    assert stored[tree["grid_b11"].pk]["referrals_overdue"] == 1
    assert sum(extra.get("referrals_open", 0) for extra in stored.values()) == 3


def test_a_referral_closed_last_year_is_not_counted_this_year(tree, people, veterans, providers):
    from referrals.models import Referral

    old = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    last_year = datetime.date(timezone.localdate().year - 1, 12, 30)
    Referral.objects.filter(pk=old.pk).update(status="closed", referred_on=last_year, closed_on=last_year)
    from dashboard.figures import area_board

    board = area_board(user=people["leader"], area=tree["district"])
    assert board.total.value("referrals_closed_year") == 0 and board.total.value("referrals_open") == 0
