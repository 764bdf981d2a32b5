"""The 一对一结对 figures, hand-counted over a small world, each linked to a list of exactly the rows
it counts, and kept in the nightly snapshot."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.board_figures import figure_named
from dashboard.figures import area_board
from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from dashboard.tests.test_links import counted_links
from grids.scoping import SYSTEM
from pairing.services import pair_contact_record, pair_end, pair_gift_record
from transfers.services import person_record_death
from veterans.services import honour_save
from veterans.tests.factories import make_veteran

NAMES = ["paired_people", "paired_key_people", "key_people", "pair_contacts_year", "enterprise_gifts_year"]


@pytest.fixture
def world(tree, people, persons, make_pair):
    """Street a: old (80+) paired with a cadre, 2 contacts this year and 1 the year before; young
    (no key group) paired with a volunteer; a poor person unpaired; a merit holder whose pair
    ended; a deceased 80+ person whose pair stays active (not counted: not living).
    Street b: theirs (80+) paired with an enterprise that gave twice this year and once before."""
    today = timezone.localdate()
    january, last_year = today.replace(month=1, day=1), today - datetime.timedelta(days=400)
    station, station_b = people["station"], people["other_station"]
    cadre = make_pair(persons["old"], started_on=last_year)
    for day in (january, today, last_year):
        pair_contact_record(pair=cadre, contacted_on=day, acting_user=people["worker"])
    make_pair(persons["young"], partner_kind="volunteer", partner_name="志愿者小周")
    make_veteran(tree["grid_a12"], name="穷困户", extreme_poverty=True)
    merit = make_veteran(tree["grid_a12"], name="立功者")
    honour_save(veteran=merit, kind="third_class", acting_user=SYSTEM)
    ended = make_pair(merit)
    pair_end(pair=ended, ended_on=ended.started_on, end_reason="other", acting_user=station)
    gone = make_veteran(tree["grid_a12"], name="已故老兵", birth_date=datetime.date(1930, 1, 1))
    make_pair(gone)
    person_record_death(veteran=gone, died_on=today, acting_user=station)
    firm = make_pair(
        persons["theirs"],
        by=station_b,
        partner_kind="enterprise",
        partner_name="张经理",
        partner_organisation="镇坪县富民农业公司",
        started_on=last_year,
    )
    for day, value in ((january, Decimal("500.00")), (today, None), (last_year, Decimal("200"))):
        pair_gift_record(pair=firm, given_on=day, description="米面油", value=value, acting_user=station_b)
    return today


def _figures(user, area):
    total = area_board(user=user, area=area).total
    return [total.value(name) for name in NAMES], total


def test_the_figures_are_hand_counted_per_area(tree, people, world):
    leader = people["leader"]
    assert _figures(leader, tree["street_a"])[0] == [2, 1, 3, 2, 0]
    assert _figures(leader, tree["street_b"])[0] == [1, 1, 1, 0, 2]
    counts, total = _figures(leader, tree["district"])
    assert counts == [3, 2, 4, 2, 2]
    assert str(total.rate(figure_named("pairing_key_coverage"))) == "50.0"


def test_a_station_counts_only_its_own_street(tree, people, world):
    assert _figures(people["station"], tree["district"])[0] == [2, 1, 3, 2, 0]


def test_every_pairing_number_links_to_a_list_of_exactly_that_many_rows(client, tree, people, world):
    client.force_login(people["leader"])
    for area in (tree["district"], tree["street_a"], tree["street_b"], tree["grid_a11"]):
        page = client.get(reverse("dashboard:board"), {"level": area.level, "id": area.pk}).content.decode()
        links = [(href, n) for href, n in counted_links(page) if "/admin/pairing/" in href]
        assert len(links) >= 5
        for href, shown in links:
            response = client.get(href)
            assert response.status_code == 200, href
            assert response.context["cl"].result_count == shown, href


def test_the_figures_are_kept_in_the_snapshot(tree, world):
    snapshot_take(day=world)
    stored = {s.grid_id: s.extra for s in GridSnapshot.objects.filter(day=world)}
    assert stored[tree["grid_a11"].pk]["paired_people"] == 2
    assert stored[tree["grid_a11"].pk]["pair_contacts_year"] == 2
    assert stored[tree["grid_a12"].pk].get("key_people") == 2
    assert stored[tree["grid_b11"].pk]["enterprise_gifts_year"] == 2
    assert sum(extra.get("paired_key_people", 0) for extra in stored.values()) == 2


def test_the_hashed_rules_the_board_counts_by_pick_the_same_people(world):
    from pairing.selectors import any_key_group_q, paired_q
    from veterans.models import Veteran

    def ids(condition):
        return set(Veteran.objects.filter(condition).values_list("pk", flat=True))

    assert ids(paired_q(hashed=True)) == ids(paired_q()) and ids(paired_q())
    assert ids(~paired_q(hashed=True)) == ids(~paired_q())
    assert ids(any_key_group_q(world, hashed=True)) == ids(any_key_group_q(world)) and ids(any_key_group_q(world))


def test_the_people_figures_cost_no_query_of_their_own(tree, world, django_assert_num_queries):
    from pairing.figures import count_pairing

    with django_assert_num_queries(2):  # contacts and gifts; the people are the board's
        count_pairing(user=SYSTEM, level="city", area_id=None, group="street_id", today=world, put=lambda *a: None)
