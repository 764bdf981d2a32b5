"""A help app's figures (core.board_figures) on the board: counted per child area through the
user's scope, linked to a list of exactly that many rows, derived rates in percent, kept in the
nightly snapshot, in /api/statistics/ and in the table's export."""

import io

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core import board_figures
from core.board_figures import Figure, FigureSource, area_list_url, in_area
from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from dashboard.tests.test_links import counted_links
from grids.models import Role
from grids.scoping import scope_queryset
from grids.tests.factories import make_staff
from veterans.models import LifeStatus, Veteran


def _count_members(*, user, level, area_id, group, today, put):
    people = scope_queryset(user, Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE))
    counts = people.filter(**in_area(level, area_id)).order_by().values(group)
    for row in counts.annotate(n=Count("id", filter=Q(is_party_member=True))):
        put(row[group], "test_members", row["n"])


def _members_list(area, today):
    changelist = "admin:veterans_veteran_changelist"
    return area_list_url(changelist, area, is_party_member__exact="1", life_status__exact="alive")


SOURCE = FigureSource(
    key="test_members",
    title="测试统计",
    figures=(
        Figure("test_members", "党员（测试）", link=_members_list),
        Figure("test_members_share", "党员占比（测试）", rate_of=("test_members", "veterans")),
        Figure("test_plain", "无链接（测试）"),
    ),
    count=_count_members,
)


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(board_figures._SOURCES, SOURCE.key, SOURCE)


def test_a_registered_source_is_counted_per_child_area_and_linked(client, tree, city, registered):
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client.force_login(station)
    response = client.get(reverse("dashboard:board"))
    page = response.content.decode()
    assert 'id="figures-test_members"' in page
    # street a: old_member in community a1 is a party member; young (a12) is not. 1 of 3 alive.
    total = response.context["total"]
    assert total.extra["test_members"] == 1
    assert total.value("test_members") == 1 and total.value("test_plain") == 0
    assert str(total.rate(SOURCE.figures[1])) == "33.3"
    counted = [(href, n) for href, n in counted_links(page) if "is_party_member__exact" in href]
    assert counted  # the rows and the total, linked
    for href, shown in counted:
        assert client.get(href).context["cl"].result_count == shown


def test_a_registered_source_stays_in_scope(tree, city, registered):
    from dashboard.figures import area_board

    station_b = make_staff(tree["street_b"], role=Role.STATION_STAFF)
    board = area_board(user=station_b, area=tree["district"])
    assert board.total.extra.get("test_members", 0) == 1  # b_member only; street a is not theirs


def test_registered_figures_are_kept_in_the_snapshot_and_the_api(tree, city, registered):
    today = timezone.localdate()
    snapshot_take(day=today)
    stored = {s.grid_id: s.extra.get("test_members", 0) for s in GridSnapshot.objects.filter(day=today)}
    assert stored[tree["grid_a11"].pk] == 1 and stored[tree["grid_b11"].pk] == 1
    assert sum(stored.values()) == 2
    api = APIClient()
    api.force_authenticate(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    data = api.get("/api/statistics/").json()
    assert data["area"]["figures"]["extra"]["test_members"] == 2


def test_registered_figures_are_exported_with_the_table(client, tree, city, registered):
    client.force_login(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    response = client.get(reverse("dashboard:export_children"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    column = header.index("党员（测试）")
    assert rows[-1][column] == 1 and "党员占比（测试）" not in header


PEOPLE_SOURCE = FigureSource(
    key="test_people",
    title="测试统计（人员）",
    figures=(Figure("test_people_members", "党员（测试，人员）"),),
    count=lambda **_kwargs: None,
    queries=0,
    people=lambda today, hashed: {"test_people_members": Q(is_party_member=True)},
)


def test_a_people_figure_is_counted_in_the_boards_own_query_and_agrees_with_a_count(
    tree, city, monkeypatch, django_assert_num_queries
):
    from core.board_figures import figure_sources
    from dashboard.figures import area_board

    monkeypatch.setitem(board_figures._SOURCES, SOURCE.key, SOURCE)
    monkeypatch.setitem(board_figures._SOURCES, PEOPLE_SOURCE.key, PEOPLE_SOURCE)
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    # The board's own (people, priority, honours, visits, cases 2, appeals, wishes, the child
    # areas) and each source's count: a people figure adds none.
    with django_assert_num_queries(10 + sum(source.queries for source in figure_sources())):
        board = area_board(user=leader, area=tree["district"])
    for _area, figures in [(None, board.total), *board.rows]:
        assert figures.value("test_people_members") == figures.value("test_members")
    assert board.total.value("test_people_members") == 2
