import io

from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from exports.tests.helpers import direct_and_background, forged_rows
from veterans.tests.factories import make_veteran
from wishes.models import MicroWish, WishStatus
from wishes.tests.factories import make_wish

CHANGELIST = "admin:wishes_microwish_changelist"


def test_station_changelist_lists_only_its_street(client, tree, people):
    make_wish(make_veteran(tree["grid_a11"], name="甲街老兵"), people, title="一台新轮椅")
    make_wish(make_veteran(tree["grid_b11"], name="乙街老兵"), people, title="一台助听器")
    client.force_login(people["station"])
    response = client.get(reverse(CHANGELIST))
    body = response.content.decode()
    assert response.status_code == 200
    assert "甲街老兵" in body and "乙街老兵" not in body and "一台助听器" not in body


def test_change_page_of_another_streets_wish_is_not_shown(client, tree, people):
    other = make_wish(make_veteran(tree["grid_b11"], name="乙街老兵"), people)
    client.force_login(people["station"])
    response = client.get(reverse("admin:wishes_microwish_change", args=[other.pk]))
    # The admin answers a missing object with a redirect to its index and a message; never the page.
    assert response.status_code in (302, 404)
    assert "乙街老兵" not in response.content.decode()
    mine = make_wish(make_veteran(tree["grid_a11"], name="甲街老兵"), people)
    page = client.get(reverse("admin:wishes_microwish_change", args=[mine.pk]))
    assert page.status_code == 200 and "甲街老兵" in page.content.decode()
    assert reverse("wishes:detail", args=[mine.pk]) in page.content.decode()


def test_adding_a_wish_in_the_admin_collects_it(client, tree, people):
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:wishes_microwish_add"),
        {"veteran": veteran.pk, "title": "去烈士陵园祭扫", "description": "", "estimated_value": "300"},
    )
    assert response.status_code == 302
    wish = MicroWish.objects.get()
    assert (wish.status, wish.collected_by, wish.grid_id) == ("collected", people["station"], tree["grid_a11"].pk)
    assert AuditEvent.objects.filter(object_type="wishes.microwish", action="create").count() == 1


def test_the_admin_add_form_refuses_an_over_limit_value_and_another_streets_veteran(client, tree, people):
    client.force_login(people["station"])
    url = reverse("admin:wishes_microwish_add")
    mine, other = make_veteran(tree["grid_a11"]), make_veteran(tree["grid_b11"])
    response = client.post(url, {"veteran": mine.pk, "title": "汽车", "estimated_value": "80000"})
    assert response.status_code == 200 and "20000.00 元" in response.content.decode()
    response = client.post(url, {"veteran": other.pk, "title": "轮椅", "estimated_value": "100"})
    assert response.status_code == 200
    assert not MicroWish.objects.exists()


def test_publish_and_confirm_actions_call_the_services_and_report_refusals(client, tree, people):
    collected = make_wish(make_veteran(tree["grid_a11"]), people)
    fulfilled = make_wish(make_veteran(tree["grid_a12"]), people, upto="fulfilled")
    client.force_login(people["station"])
    response = client.post(
        reverse(CHANGELIST), {"action": "publish_wishes", "_selected_action": [collected.pk, fulfilled.pk]}, follow=True
    )
    body = response.content.decode()
    assert "已发布 1 个心愿" in body and "当前状态为“已实现”" in body
    client.post(reverse(CHANGELIST), {"action": "confirm_wishes", "_selected_action": [fulfilled.pk]})
    collected.refresh_from_db()
    fulfilled.refresh_from_db()
    assert (collected.status, fulfilled.status) == (WishStatus.PUBLISHED, WishStatus.CONFIRMED)


def test_actions_cannot_reach_another_streets_wish(client, tree, people):
    other = make_wish(make_veteran(tree["grid_b11"]), people)
    client.force_login(people["station"])
    client.post(reverse(CHANGELIST), {"action": "publish_wishes", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == WishStatus.COLLECTED


def test_export_gives_the_ledger_of_the_stations_street_only(client, tree, people):
    make_wish(make_veteran(tree["grid_a11"], name="甲一"), people, upto="confirmed")
    make_wish(make_veteran(tree["grid_a21"], name="甲二"), people, upto="published")
    make_wish(make_veteran(tree["grid_b11"], name="乙一"), people)
    client.force_login(people["station"])
    response = client.post(
        reverse(CHANGELIST), {"action": "export_ledger", "select_across": "1", "_selected_action": ["0"], "index": "0"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "心愿编号", "姓名") and "认领方" in rows[0]
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {"甲一", "甲二"}
    assert by_name["甲一"][9] == "已确认（销号）" and "*" in by_name["甲一"][3]  # ID number masked
    assert "****" in by_name["甲一"][14]  # donor phone masked
    assert AuditEvent.objects.filter(action="export", detail__rows=2).exists()


def test_grid_workers_have_no_wish_admin(client, tree, people):
    client.force_login(people["worker"])
    assert client.get(reverse(CHANGELIST)).status_code == 302


def test_changelist_runs_a_bounded_number_of_queries(client, tree, people, django_assert_max_num_queries):
    for index in range(12):
        make_wish(make_veteran(tree["grid_a11"], name=f"老兵{index}"), people, upto="claimed")
    client.force_login(people["station"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200 and response.content.decode().count("老兵1") >= 3


def test_a_big_export_is_built_in_the_background_as_the_file_would_be(
    client, tree, people, settings, django_capture_on_commit_callbacks
):
    make_wish(make_veteran(tree["grid_a11"], name="甲一"), people, upto="confirmed")
    make_wish(make_veteran(tree["grid_a21"], name="甲二"), people, upto="published")
    make_wish(make_veteran(tree["grid_b11"], name="乙一"), people)
    client.force_login(people["station"])
    select_all = {"action": "export_ledger", "select_across": "1", "_selected_action": ["0"], "index": "0"}
    direct, background, job = direct_and_background(
        settings, django_capture_on_commit_callbacks, lambda: client.post(reverse(CHANGELIST), select_all)
    )
    assert background == direct and job.ledger == "wishes"
    assert {row[2] for row in background[1:]} == {"甲一", "甲二"}
    assert "*" in background[1][3]  # ID numbers masked in the worker too
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="wishes",
        queryset=MicroWish.objects.all(),
        user=people["station"],
    )
    assert {row[2] for row in forged[1:]} == {"甲一", "甲二"}  # never the other street's
