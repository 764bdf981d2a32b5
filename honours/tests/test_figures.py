"""评选表彰与喜报 on the board: hand-counted, scoped, linked to exactly the rows counted, and kept in
the nightly snapshot."""

import datetime

import pytest
from django.urls import reverse

from dashboard.figures import area_board
from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from dashboard.tests.test_links import counted_links
from honours.services import merit_notice_deliver, nomination_add, nomination_decide, selection_close_nominations
from veterans.tests.factories import make_veteran

FIGURES = ("merit_notices_waiting", "merit_notices_delivered_year", "honoured_year")


@pytest.fixture
def honours_world(tree, people, persons, receive_notice, open_selection, today):
    """Street a: two notices waiting (one for 20 days), one delivered this year, one delivered more
    than a year ago; two nominees, one selected. Street b: one notice waiting, one nominee selected."""
    receive_notice(days_ago=2)
    receive_notice(days_ago=20)
    delivered = receive_notice(days_ago=4)
    merit_notice_deliver(notice=delivered, delivered_on=today, delivery_way="home", acting_user=people["worker"])
    old = receive_notice(days_ago=400)
    merit_notice_deliver(
        notice=old, delivered_on=today - datetime.timedelta(days=395), delivery_way="home",
        acting_user=people["worker"],
    )  # fmt: skip
    receive_notice(family=persons["theirs"], by=people["other_station"])
    selection = open_selection()
    young = make_veteran(tree["grid_a12"], name="周青")
    nominations = [
        nomination_add(selection=selection, veteran=person, nominated_by="社区", reason="事迹", acting_user=user)
        for person, user in (
            (persons["veteran"], people["station"]),
            (young, people["station"]),
            (persons["theirs"], people["other_station"]),
        )
    ]
    selection_close_nominations(selection=selection, acting_user=people["leader"])
    for nomination, selected in zip(nominations, (True, False, True), strict=True):
        nomination_decide(nomination=nomination, selected=selected, decided_on=today, acting_user=people["leader"])
    return nominations


def _totals(user, area):
    extra = area_board(user=user, area=area).total.extra
    return tuple(extra.get(name, 0) for name in FIGURES)


def test_figures_are_hand_counted_within_each_scope(tree, people, honours_world):
    assert _totals(people["leader"], tree["district"]) == (3, 1, 2)
    assert _totals(people["station"], tree["street_a"]) == (2, 1, 1)
    assert _totals(people["other_station"], tree["street_b"]) == (1, 0, 1)


def test_every_honours_number_links_to_exactly_its_rows(client, tree, people, honours_world):
    client.force_login(people["leader"])
    page = client.get(reverse("dashboard:board"), {"level": "district", "id": tree["district"].pk}).content.decode()
    assert 'id="figures-honours"' in page
    links = [(href, n) for href, n in counted_links(page) if "/admin/honours/" in href]
    assert {href.split("?")[0] for href, _n in links} == {
        "/admin/honours/meritnotice/",
        "/admin/honours/nomination/",
    }
    assert any(n for _href, n in links)
    for href, shown in links:
        assert client.get(href).context["cl"].result_count == shown, href


def test_the_snapshot_keeps_the_figures_per_grid(tree, honours_world, today):
    snapshot_take(day=today)
    stored = {s.grid_id: s.extra for s in GridSnapshot.objects.filter(day=today)}
    a11, a12, b11 = (stored[tree[key].pk] for key in ("grid_a11", "grid_a12", "grid_b11"))
    assert a11.get("merit_notices_waiting") == 2 and a11.get("honoured_year") == 1
    assert a12.get("honoured_year", 0) == 0 and a12.get("merit_notices_waiting", 0) == 0
    assert b11.get("merit_notices_waiting") == 1 and b11.get("honoured_year") == 1
