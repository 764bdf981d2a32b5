"""The dashboard's 迁入迁出 section and the statistics API's moves."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from grids.models import Role
from grids.tests.factories import make_staff
from transfers.tests.factories import make_move


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.OTP_REQUIRED = False


def _section(page) -> str:
    return page.content.decode().split('id="moves"')[1].split("</section>")[0]


def test_the_board_shows_this_years_moves_per_street_with_the_recent_ones(tree, cast):
    make_move(tree, cast, "a11", "b11", name="王迁移")
    make_move(tree, cast, "a12", "b12", name="李待收", decide=None)
    client = Client()
    client.force_login(cast["leader"])
    page = client.get(reverse("dashboard:board"))
    assert page.status_code == 200
    section = _section(page)
    year = timezone.localdate().year
    assert f"迁入迁出（{year}年）" in section
    for header in ("迁入", "迁出", "待接收", "待迁出", "迁出本系统", "去世", "合计"):
        assert f">{header}<" in section
    assert "甲街道" in section and "乙街道" in section
    assert page.context["moves"]["total"] == {
        "moved_in": 1,
        "moved_out": 1,
        "pending_in": 1,
        "pending_out": 1,
        "left_system": 0,
        "deceased": 0,
    }
    # The move with its date, in the page's Chinese form; the pending one is not a move yet.
    today = timezone.localdate()
    recent = section.split('id="recent-moves"')[1]
    assert "王迁移" in recent and f"{today.year}年{today.month}月{today.day}日" in recent
    assert "李待收" not in recent
    assert reverse("admin:transfers_transfer_changelist") in section


def test_the_ledger_link_needs_the_permission_to_read_transfers(tree, cast):
    make_move(tree, cast, "a11", "b11")
    reader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    reader.groups.clear()  # keeps the dashboard only
    reader.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    client = Client()
    client.force_login(reader)
    page = client.get(reverse("dashboard:board"))
    assert page.status_code == 200
    assert reverse("admin:transfers_transfer_changelist") not in page.content.decode()


def test_a_station_board_shows_nothing_of_the_other_streets_moves(tree, cast):
    make_move(tree, cast, "b11", "b21", name="乙内部")
    client = Client()
    client.force_login(cast["station_a"])
    page = client.get(reverse("dashboard:board"))
    assert page.status_code == 200
    assert 'id="moves"' not in page.content.decode() and "乙内部" not in page.content.decode()
    assert page.context["moves"]["rows"] == [] and page.context["moves"]["recent"] == []


def test_no_moves_no_section(tree, cast):
    client = Client()
    client.force_login(cast["leader"])
    page = client.get(reverse("dashboard:board"))
    assert page.status_code == 200 and 'id="moves"' not in page.content.decode()


def test_the_statistics_api_carries_the_moves(tree, cast):
    make_move(tree, cast, "a11", "b11", name="王迁移")
    api = APIClient()
    api.force_authenticate(cast["station_a"])
    body = api.get("/api/statistics/").json()
    assert body["moves"] == [
        {
            "level": "community",
            "id": tree["community_a1"].pk,
            "name": "a1社区",
            "moved_in": 0,
            "moved_out": 1,
            "pending_in": 0,
            "pending_out": 0,
            "left_system": 0,
            "deceased": 0,
        }
    ]
    (recent,) = body["recent_moves"]
    assert recent["veteran_name"] == "王迁移" and recent["moved_on"] == timezone.localdate().isoformat()
    assert recent["from_area"].endswith("甲街道 a1社区 a1-1网格")
    assert recent["to_area"].endswith("乙街道 b1社区 b1-1网格")
    # The other street's station: the same move, from its side.
    api.force_authenticate(cast["station_b"])
    assert [(row["name"], row["moved_in"]) for row in api.get("/api/statistics/").json()["moves"]] == [("b1社区", 1)]


def test_the_schema_describes_the_moves(client, tree, cast):
    client.force_login(cast["leader"])
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    statistics = schemas["Statistics"]["properties"]
    assert {"moves", "recent_moves"} <= set(statistics)
    assert statistics["moves"]["description"] and statistics["recent_moves"]["description"]
    assert set(schemas["MoveRow"]["properties"]) >= {"moved_in", "moved_out", "pending_in", "left_system", "deceased"}
    assert schemas["RecentMove"]["properties"]["moved_on"]["format"] == "date"
