"""The dashboard counts people by kind: on the board, in the statistics API and in snapshots."""

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dashboard.figures import area_board
from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_survivor


def _survivors(tree):
    make_survivor(tree["grid_a11"], name="烈士母亲")
    make_survivor(tree["grid_a12"], name="烈士父亲", gender="M")
    make_survivor(
        tree["grid_b11"], name="军属", person_kind="serving_family", soldier={"name": "赵强", "relation": "spouse"}
    )


def test_board_counts_people_by_kind(tree, city):
    _survivors(tree)
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    total = area_board(user=leader, area=tree["district"]).total
    assert total.veterans == 8  # five living veterans (hand-counted in `city`) and three others
    assert total.by_kind["veteran"] == 5
    assert (total.by_kind["martyr_survivor"], total.by_kind["serving_family"]) == (2, 1)
    assert total.by_kind["died_on_duty_survivor"] == 0
    assert sum(total.by_kind.values()) == total.veterans
    rows = {area.name: figures for area, figures in area_board(user=leader, area=tree["district"]).rows}
    assert rows["甲街道"].by_kind["martyr_survivor"] == 2 and rows["乙街道"].by_kind["serving_family"] == 1


def test_board_page_lists_the_kinds_with_links_to_the_lists(client, tree, city):
    _survivors(tree)
    client.force_login(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    body = client.get(reverse("dashboard:board")).content.decode()
    assert 'id="by-kind"' in body and "烈士遗属" in body and "现役军人家属" in body
    assert "person_kind__exact=martyr_survivor" in body
    listing = client.get(
        reverse("admin:veterans_veteran_changelist"),
        {"district": tree["district"].pk, "life_status__exact": "alive", "person_kind__exact": "martyr_survivor"},
    )
    assert {v.name for v in listing.context["cl"].queryset} == {"烈士母亲", "烈士父亲"}


def test_statistics_api_gives_people_by_kind(tree, city):
    _survivors(tree)
    client = APIClient()
    client.force_authenticate(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    response = client.get("/api/statistics/")
    assert response.status_code == 200
    figures = response.json()["area"]["figures"]
    assert figures["by_kind"]["martyr_survivor"] == 2 and figures["by_kind"]["veteran"] == 5
    assert figures["veterans"] == 8


def test_snapshot_keeps_people_by_kind(tree, city):
    _survivors(tree)
    today = timezone.localdate()
    snapshot_take(day=today)
    stored = GridSnapshot.objects.filter(day=today)
    assert sum(s.kind_martyr_survivor for s in stored) == 2
    assert sum(s.kind_serving_family for s in stored) == 1
    assert sum(s.kind_veteran for s in stored) == 5
    assert stored.get(grid=tree["grid_a11"]).kind_martyr_survivor == 1


def test_child_table_export_has_a_column_per_kind(client, tree, city):
    import io

    from openpyxl import load_workbook

    _survivors(tree)
    client.force_login(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    response = client.get(reverse("dashboard:export_children"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if "烈士遗属" in row)
    total = dict(zip(header, rows[-1], strict=True))
    assert (total["服务对象"], total["退役军人"], total["烈士遗属"], total["现役军人家属"]) == (5, 3, 2, 0)
