"""The dashboard's 服务项目（1555） figures, hand-counted: what each must count is written beside
the rows. Every number links to a list of exactly that many rows; the snapshot keeps them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.figures import area_board
from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from dashboard.tests.test_links import counted_links
from projects.services import evaluation_record, need_record, project_deliver, project_propose, project_review

pytestmark = pytest.mark.django_db

NAMES = [
    "served_people",
    "service_needs_open",
    "projects_delivered_year",
    "projects_in_time_year",
    "evaluations_year",
    "satisfied_year",
]


def _need(person, by, recorded_on, text="需上门服务"):
    return need_record(person=person, description=text, source="visit", recorded_on=recorded_on, acting_user=by)


@pytest.fixture
def served(people, veterans):
    """This year: one project for 王德顺 (a11, need 40 days old: late) and 陈永福 (a12, no need:
    counted from approval today, in time), delivered today, rated 5 and 3. Last year: 李长青 (b11)
    served and rated (not counted). Open needs: a second one of 王德顺 (never proposed) and one
    of 李长青 in a proposal still waiting: 2."""
    today = timezone.localdate()
    mine, neighbour, theirs = veterans["mine"], veterans["neighbour"], veterans["theirs"]
    old_need = _need(mine, people["worker"], today - datetime.timedelta(days=40))
    project = project_propose(
        title="上门体检", needs=[old_need], people=[neighbour], proposed_on=today, acting_user=people["station"]
    )
    project_review(project=project, approve=True, reviewed_on=today, acting_user=people["station2"])
    project_deliver(project=project, delivered_on=today, delivered_by="卫生院", cost="0", acting_user=people["station"])
    for delivery, score in zip(project.deliveries.order_by("person__name"), (3, 5), strict=True):
        evaluation_record(delivery=delivery, satisfaction=score, evaluated_on=today, acting_user=people["station"])
    last_year = datetime.date(today.year - 1, 12, 30)
    station_b = people["other_station"]
    old = project_propose(title="法律咨询", people=[theirs], proposed_on=last_year, acting_user=station_b)
    project_review(project=old, approve=True, reviewed_on=last_year, acting_user=people["leader"])
    end = last_year + datetime.timedelta(days=1)
    project_deliver(project=old, delivered_on=end, delivered_by="律所", cost="0", acting_user=station_b)
    evaluation_record(delivery=old.deliveries.get(), satisfaction=5, evaluated_on=end, acting_user=station_b)
    _need(mine, people["worker"], today, text="子女就业咨询")
    waiting_need = _need(theirs, people["other_worker"], today)
    project_propose(title="就业指导", needs=[waiting_need], proposed_on=today, acting_user=station_b)
    return project


def _figures(figures) -> dict:
    return {name: figures.value(name) for name in NAMES}


def test_the_district_figures_are_hand_counted(served, people, tree):
    board = area_board(user=people["leader"], area=tree["district"])
    assert _figures(board.total) == {
        "served_people": 2,
        "service_needs_open": 2,
        "projects_delivered_year": 2,
        "projects_in_time_year": 1,
        "evaluations_year": 2,
        "satisfied_year": 1,
    }
    rows = {area.name: _figures(figures) for area, figures in board.rows}
    assert rows["乙街道"] == dict.fromkeys(NAMES, 0) | {"service_needs_open": 1}
    rates = {figure.name: board.total.rate(figure) for figure in _source_rates()}
    assert str(rates["projects_in_time_rate"]) == "50.0" and str(rates["satisfaction_rate"]) == "50.0"


def _source_rates():
    from projects.figures import SOURCE

    return [figure for figure in SOURCE.figures if figure.rate_of]


def test_a_station_counts_only_its_own_street(served, people, tree):
    board = area_board(user=people["other_station"], area=tree["district"])
    assert _figures(board.total) == dict.fromkeys(NAMES, 0) | {"service_needs_open": 1}


def test_every_number_links_to_exactly_its_rows(client, served, people, tree):
    client.force_login(people["leader"])
    response = client.get(reverse("dashboard:board"), {"level": "district", "id": tree["district"].pk})
    links = [(href, n) for href, n in counted_links(response.content.decode()) if "/admin/projects/" in href]
    assert {n for _href, n in links} >= {1, 2}
    for href, shown in links:
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert (href, listed.context["cl"].result_count) == (href, shown)


def test_the_snapshot_keeps_the_figures_per_grid(served, tree):
    today = timezone.localdate()
    snapshot_take(day=today)
    stored = {s.grid_id: s.extra for s in GridSnapshot.objects.filter(day=today)}
    assert stored[tree["grid_a11"].pk]["served_people"] == 1
    assert stored[tree["grid_a11"].pk]["projects_in_time_year"] == 0
    assert stored[tree["grid_a12"].pk]["projects_in_time_year"] == 1
    assert stored[tree["grid_b11"].pk]["service_needs_open"] == 1
    assert sum(extra.get("satisfied_year", 0) for extra in stored.values()) == 1


def test_both_forms_of_the_served_rule_pick_the_same_people(served):
    from projects.selectors import served_in_year_q
    from veterans.models import Veteran

    year = timezone.localdate().year

    def ids(condition):
        return set(Veteran.objects.filter(condition).values_list("pk", flat=True))

    assert ids(served_in_year_q(year)) == ids(served_in_year_q(year, hashed=False)) and ids(served_in_year_q(year))
