"""The board's 技能培训 section, hand-counted: people (not enrolments) trained and certified this
year, per street; each number links to a list of exactly those people, one row each; the
nightly snapshot keeps them."""

import datetime

import pytest
from django.urls import reverse

from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from dashboard.tests.test_links import counted_links
from grids.scoping import SYSTEM
from training.services import enrolment_complete, enrolment_create, enrolment_drop


@pytest.fixture
def trained(make_course, veterans, people, today):
    """mine: two courses this year, one certified (counted once in each figure);
    neighbour: enrolled, then dropped (not counted); theirs (street b): enrolled and certified."""
    this_year_start = today - datetime.timedelta(days=min(7, today.timetuple().tm_yday - 1))
    first = make_course(title="电工技能培训", started=(today - this_year_start).days)
    second = make_course(title="焊工培训", started=(today - this_year_start).days)
    made = {}
    for key, course in (("mine", first), ("mine2", second), ("neighbour", first), ("theirs", first)):
        veteran = veterans[key.rstrip("2")]
        made[key] = enrolment_create(course=course, veteran=veteran, enrolled_on=today, acting_user=SYSTEM)
    certificate = {"completed_on": today, "certificate_on": today, "acting_user": SYSTEM}
    enrolment_complete(enrolment=made["mine"], certificate_number="DG-1", **certificate)
    enrolment_complete(enrolment=made["theirs"], certificate_number="DG-2", **certificate)
    enrolment_drop(enrolment=made["neighbour"], reason="外出务工", acting_user=SYSTEM)
    return made


def test_the_board_counts_people_and_links_to_exactly_them(client, tree, people, trained):
    from dashboard.figures import area_board

    board = area_board(user=people["leader"], area=tree["district"])
    assert board.total.extra["training_enrolled_year"] == 2  # mine (two courses: once) and theirs
    assert board.total.extra["training_certified_year"] == 2
    by_street = {area.pk: _training(figures.extra) for area, figures in board.rows}
    assert by_street[tree["street_a"].pk] == {"training_enrolled_year": 1, "training_certified_year": 1}
    client.force_login(people["leader"])
    page = client.get(reverse("dashboard:board")).content.decode()
    links = [(href, n) for href, n in counted_links(page) if "/admin/training/enrolment/" in href]
    assert len(links) >= 4  # two figures, rows and total
    for href, shown in links:
        listed = client.get(href).context["cl"]
        assert listed.result_count == shown
        names = [enrolment.veteran.name for enrolment in listed.result_list]
        assert len(names) == len(set(names))  # one row per person


def test_a_station_counts_only_its_street(tree, people, trained):
    from dashboard.figures import area_board

    board = area_board(user=people["station"], area=tree["street_a"])
    assert _training(board.total.extra) == {"training_enrolled_year": 1, "training_certified_year": 1}


def test_the_snapshot_keeps_the_training_figures(tree, trained, today):
    snapshot_take(day=today)
    stored = {s.grid_id: s.extra for s in GridSnapshot.objects.filter(day=today)}
    assert stored[tree["grid_a11"].pk]["training_enrolled_year"] == 1
    assert stored[tree["grid_b11"].pk]["training_certified_year"] == 1
    assert sum(extra.get("training_enrolled_year", 0) for extra in stored.values()) == 2


def _training(extra: dict) -> dict:
    """This app's figures among every app's (core.board_figures)."""
    return {name: value for name, value in extra.items() if name.startswith("training_")}
