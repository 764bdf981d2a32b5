"""The station's workbench (the admin's index): each to-do counted against data built by hand
(tests/workbench_world.py), each number leading to a list of exactly that many rows, in a
fixed number of queries; who lands where after logging in; the staff bar on every staff page;
real names, Chinese headers and ¥ columns in the admin."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.testing import verified_login
from assistance.models import HardshipCase
from assistance.services import fund_receive
from core.admin_site import TASK_GROUPS
from grids.models import AreaLevel, Role
from grids.scoping import SYSTEM
from grids.services import staff_account_create
from grids.tests.factories import PASSWORD, make_staff
from tests.workbench_world import (
    build_appeals,
    build_cases,
    build_duplicates,
    build_events,
    build_files,
    build_imports,
    build_overdue,
    build_transfers,
    build_wishes,
)


@pytest.fixture
def cast(tree):
    return {
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF, username="station"),
        "colleague": make_staff(tree["street_a"], role=Role.STATION_STAFF, username="colleague"),
        "worker": make_staff(grids=[tree["grid_a11"], tree["grid_a12"], tree["grid_a21"]], username="worker"),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER, username="leader"),
        "station_b": make_staff(tree["street_b"], role=Role.STATION_STAFF, username="station_b"),
    }


@pytest.fixture
def world(tree, cast):
    fund = build_cases(tree, cast)
    build_appeals(tree, cast)
    late_one = build_overdue(tree)
    build_events(tree, cast, late_one)
    build_imports(cast)
    build_wishes(tree, cast)
    build_transfers(tree, cast)
    build_duplicates(tree)
    living_a = build_files(tree)
    return {"fund": fund, "living_a": living_a}


def _client(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def _todos(response) -> dict[tuple[str, str], object]:
    return {(block.key, todo.label): todo for block in response.context["todo_blocks"] for todo in block.todos}


def test_station_workbench_counts_what_was_built_by_hand(world, cast, tree):
    response = _client(cast["station"]).get(reverse("admin:index"))
    assert response.status_code == 200
    todos = _todos(response)
    counts = {key: todo.count for key, todo in todos.items()}
    living_a = len(world["living_a"])
    assert counts == {
        ("cases", "待我审核"): 1,
        ("cases", "待我批准"): 1,
        ("cases", "待我发放"): 1,
        ("appeals", "已超期"): 2,
        ("appeals", "3个工作日内到期"): 2,
        ("overdue_visits", "逾期未访（人）"): 6,
        ("overdue_visits", "a1-1网格"): 3,
        ("overdue_visits", "a2-1网格"): 2,
        ("overdue_visits", "a1-2网格"): 1,
        ("must_visit_events", "未走访的必访事项"): 2,
        ("must_visit_events", "其中已过应访日期"): 1,
        ("imports", "已校验、待确认的导入"): 2,
        ("wishes", "尚未认领的微心愿"): 2,
        ("transfers", "待接收的迁入档案"): 1,
        ("duplicates", "待处理的疑似重复档案"): 1,
        ("files", "光荣牌未悬挂"): living_a - 4,
        ("files", "档案完整度低于60%"): 5,
        ("referrals", "跟进已逾期"): 0,
        ("referrals", "今日应跟进"): 0,
        ("referrals", "待机构接收"): 0,
        ("projects", "未立项的服务需求"): 0,
        ("projects", "待审核的服务项目"): 0,
        ("projects", "已交付待评价"): 0,
        ("honours", "喜报待送达"): 0,
        ("honours", "超过15天未送达"): 0,
        ("party", "我负责的党员跟进"): 0,
        ("party", "跟进超过30天未纳入"): 0,
        ("pairing", "重点群体未结对"): 0,  # the files built here are in no key group
    }
    # Worst grids first; the oldest case of each step, in days since it was reported.
    labels = [label for key, label in todos if key == "overdue_visits"]
    assert labels == ["逾期未访（人）", "a1-1网格", "a2-1网格", "a1-2网格"]
    assert todos[("cases", "待我审核")].note == "最早的已等 12 天"
    assert todos[("cases", "待我发放")].note == "最早的已等 3 天"
    body = response.content.decode()
    assert 'id="todos"' in body and 'data-count="6"' in body


def _rows_behind(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    if "cl" in response.context:
        return response.context["cl"].result_count
    return len(response.context["recent"])  # the import page, listing the imports to confirm


def test_every_number_leads_to_exactly_its_rows(world, cast):
    client = _client(cast["station"])
    todos = _todos(client.get(reverse("admin:index")))
    assert len(todos) == 28
    for (key, label), todo in todos.items():
        assert _rows_behind(client, todo.url) == todo.count, (key, label, todo.url)


def test_the_leaders_numbers_lead_to_their_rows_too(world, cast):
    client = _client(cast["leader"])
    todos = _todos(client.get(reverse("admin:index")))
    # The bureau approves and reads; it neither reviews, pays nor imports.
    assert ("cases", "待我批准") in todos and ("cases", "待我审核") not in todos and ("cases", "待我发放") not in todos
    assert ("imports", "已校验、待确认的导入") not in todos
    assert todos[("overdue_visits", "逾期未访（人）")].count == 8  # both streets
    for (key, label), todo in todos.items():
        assert _rows_behind(client, todo.url) == todo.count, (key, label, todo.url)


def test_the_workbench_costs_the_same_few_queries_whatever_the_data(world, cast, tree, django_assert_max_num_queries):
    client = _client(cast["station"])
    client.get(reverse("admin:index"))  # the session, permissions and scope are cached from here on
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("admin:index"))
    # More of everything: the page must not read row by row.
    build_cases(tree, cast)
    build_overdue(tree)
    build_wishes(tree, cast)
    build_transfers(tree, cast)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("admin:index"))
    assert len(after) == len(before)
    workbench = [q["sql"] for q in after.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(workbench) == 16  # one query per section, two for the overdue visits (all, and the worst grids)
    with django_assert_max_num_queries(22):  # 16, and one count per help app's section (six)
        client.get(reverse("admin:index"))


def test_someone_without_data_roles_sees_no_to_do_and_no_query_runs_for_it(world, tree):
    sysadmin = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    client = _client(sysadmin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.context["todo_blocks"] == []
    assert "没有需要您办理的事项。" in response.content.decode()
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_zero_is_shown_muted_without_a_link(cast):
    response = _client(cast["station"]).get(reverse("admin:index"))
    body = response.content.decode()
    assert '<span class="todo-count" data-count="0">0</span>' in body
    assert 'class="todo-count' in body and '<a class="todo-count' not in body


def test_the_model_list_is_grouped_by_the_stations_tasks(cast):
    response = _client(cast["station"]).get(reverse("admin:index"))
    groups = [group["name"] for group in response.context["app_list"]]
    assert groups[:6] == ["服务对象档案", "走访慰问", "帮扶救助", "诉求与心愿", "迁移与合并", "年度确认"]
    body = response.content.decode()
    assert "最近动作" not in body and "Recent actions" not in body


# --- landing pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("leader", "dashboard:board"),
        ("city_station", "dashboard:board"),
        ("station", "admin:index"),
        ("auditor", "admin:index"),
        ("worker", "mobile:home"),
    ],
)
def test_each_role_lands_on_its_own_page(tree, cast, who, landing):
    if who == "city_station":
        user = _city_staff()
    elif who == "auditor":
        user = make_staff(tree["district"], role=Role.AUDITOR)
    else:
        user = cast[who]
    client = _client(user)
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse(landing)
    assert client.get(response.url).status_code == 200


def _city_staff():
    profile = staff_account_create(
        username="city_center",
        password=PASSWORD,
        full_name="市服务中心",
        role=Role.STATION_STAFF,
        scope_level=AreaLevel.CITY,
        area=None,
        grids=[],
        acting_user=SYSTEM,
    )
    return profile.user


def test_logging_in_takes_a_leader_to_the_dashboard(tree, cast):
    client = Client()
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard:board")


# --- one staff bar -------------------------------------------------------------------------


BAR = ["数据看板", "工作台", "救助审批", "诉求", "心愿", "退出"]


def _bar(body: str) -> list[str]:
    start = body.index('id="staff-bar"')
    bar = body[start : body.index("</nav>", start)]
    return [
        re.sub(r"<[^>]+>", "", link).strip() for link in re.findall(r"<(?:a|button)\b[^>]*>.*?</(?:a|button)>", bar)
    ]


@pytest.mark.parametrize(
    "page",
    [
        "admin:index",
        "admin:veterans_veteran_changelist",
        "admin:assistance_hardshipcase_changelist",
        "dashboard:board",
        "assistance:queue",
        "appeals:list",
        "wishes:coverage",
    ],
)
def test_every_staff_page_has_the_same_bar(cast, page):
    for who in ("station", "leader"):
        response = _client(cast[who]).get(reverse(page))
        assert response.status_code == 200, (who, page)
        assert _bar(response.content.decode()) == BAR, (who, page)


def test_the_bar_shows_only_what_the_user_may_use(tree):
    sysadmin = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    body = _client(sysadmin).get(reverse("admin:index")).content.decode()
    assert _bar(body) == ["工作台", "退出"]


# --- one look -------------------------------------------------------------------------------


def test_admin_pages_take_the_apps_theme_and_favicon(cast):
    body = _client(cast["station"]).get(reverse("admin:veterans_veteran_changelist")).content.decode()
    assert "/static/css/admin.css" in body and "/static/icons/app-192.png" in body
    assert "dark_mode.css" not in body  # one light look, as the app's pages
    desk = _client(cast["station"]).get(reverse("assistance:queue")).content.decode()
    assert 'rel="icon" href="/static/icons/app-192.png"' in desk


OUR_APPS = {
    "core", "audit", "grids", "accounts", "veterans", "visits", "replays", "assistance", "appeals", "wishes",
    "confirmations", "dashboard", "transfers", "merging", "offline",
}  # fmt: skip


def test_our_admin_columns_have_chinese_headers():
    english = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        for name in model_admin.list_display:
            label = str(label_for_field(name, model, model_admin))
            if re.search(r"[A-Za-z]{2,}", label) and label != "IP地址":
                english.append(f"{model.__name__}.{name}: {label}")
    assert english == []


def test_money_is_shown_as_yuan_in_its_own_right_aligned_column(world, cast):
    body = _client(cast["station"]).get(reverse("admin:assistance_hardshipcase_changelist")).content.decode()
    assert '<td class="field-amount_requested_yuan"><span class="money">¥1,500.00</span></td>' in body
    assert "column-amount_requested_yuan" in body  # the header, right-aligned by admin.css
    fund = _client(cast["station"]).get(reverse("admin:assistance_relieffund_changelist")).content.decode()
    assert "¥" in fund and '<span class="money">' in fund
    case = HardshipCase.objects.filter(street=cast["station"].staff_profile.street).first()
    page = _client(cast["station"]).get(reverse("admin:assistance_hardshipcase_change", args=[case.pk]))
    assert '<span class="money">¥1,500.00</span>' in page.content.decode()  # the read-only case page too


def test_people_are_shown_by_their_real_name(world, cast):
    User = get_user_model()
    User.objects.filter(pk=cast["colleague"].pk).update(first_name="周明")
    User.objects.filter(pk=cast["station"].pk).update(first_name="吴敏")
    assert str(User.objects.get(pk=cast["colleague"].pk)) == "周明"
    assert str(User(username="nobody")) == "nobody"  # no name on file: the login name
    client = _client(cast["station"])
    # The case's steps (操作人) and the fund ledger (经办人) in the admin.
    reviewed = HardshipCase.objects.filter(status="reviewed", street=cast["station"].staff_profile.street).first()
    steps = client.get(reverse("admin:assistance_hardshipcase_change", args=[reviewed.pk])).content.decode()
    assert "周明" in steps and ">colleague<" not in steps
    fund_receive(fund=world["fund"], kind="allocation", amount="500", acting_user=cast["station"])
    ledger = client.get(reverse("admin:assistance_fundentry_changelist")).content.decode()
    assert "吴敏" in ledger and ">station<" not in ledger


def test_every_admin_page_has_a_task_group():
    named = {label for _key, _title, labels in TASK_GROUPS for label in labels}
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - named == set()  # a new admin page: give it its task (core/admin_site.py)
    assert named - registered == set()


def test_workflow_steps_read_in_chinese_on_the_case_page(world, cast):
    paid_to_be = HardshipCase.objects.filter(status="approved", street=cast["station"].staff_profile.street).first()
    page = _client(cast["station"]).get(reverse("admin:assistance_hardshipcase_change", args=[paid_to_be.pk]))
    text = re.sub(r"<[^>]+>", " ", page.content.decode())
    assert "提交" in text and "审核通过" in text and "批准" in text
    assert not re.search(r"\b(submit|review|approve)\b", text)
