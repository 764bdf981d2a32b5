import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from grids.models import Role
from grids.tests.factories import make_staff
from veterans.models import Veteran
from veterans.tests.factories import make_veteran
from veterans.tests.xlsx_helpers import read_xlsx
from visits.exports import HEADERS
from visits.models import Campaign, PolicyGroup, Visit, VisitPolicy, WebhookChannel
from visits.services import campaign_create, visit_record


def test_visit_ledger_is_scoped_and_exports(client, tree):
    worker_a = make_staff(grids=[tree["grid_a11"]])
    worker_b = make_staff(grids=[tree["grid_b11"]])
    visit_record(
        veteran=make_veteran(tree["grid_a11"], name="甲"), acting_user=worker_a, method="home", money=Decimal("300")
    )
    visit_record(veteran=make_veteran(tree["grid_b11"], name="乙"), acting_user=worker_b, method="phone")
    client.force_login(make_staff(tree["street_a"]))
    body = client.get(reverse("admin:visits_visit_changelist")).content.decode()
    assert "甲" in body and "乙" not in body and "¥300.00" in body
    response = client.post(
        reverse("admin:visits_visit_changelist"),
        {"action": "export_ledger", "_selected_action": list(Visit.objects.values_list("pk", flat=True))},
    )
    rows = read_xlsx(b"".join(response.streaming_content))
    assert rows[0] == ["序号", *HEADERS]
    assert [row[2] for row in rows[1:]] == ["甲"]  # the other street's visit is not exported
    assert rows[1][12] == 300


def test_policy_change_recomputes_due_dates(client, tree, django_capture_on_commit_callbacks):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    visit_record(veteran=veteran, acting_user=worker, method="home")
    policy = VisitPolicy.objects.get(group=PolicyGroup.EVERYONE)
    client.force_login(make_staff(tree["district"], role=Role.STATION_STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:visits_visitpolicy_change", args=[policy.pk]), {"interval_days": 45})
    assert response.status_code == 302
    veteran.refresh_from_db()
    assert veteran.visit_interval_days == 45
    assert veteran.visit_due_on == veteran.last_visit_on + datetime.timedelta(days=45)


def test_campaign_created_in_admin_within_scope_and_coverage_shown(client, tree):
    staff = make_staff(tree["street_a"])
    client.force_login(staff)
    today = timezone.localdate()
    data = {
        "name": "八一慰问",
        "kind": "army_day",
        "target": "all",
        "starts_on": today - datetime.timedelta(days=1),
        "ends_on": today + datetime.timedelta(days=5),
        "community": tree["community_a1"].pk,
    }
    assert client.post(reverse("admin:visits_campaign_add"), data).status_code == 302
    campaign = Campaign.objects.get()
    worker = make_staff(grids=[tree["grid_a11"]])
    target = make_veteran(tree["grid_a11"])
    make_veteran(tree["grid_a12"])
    visit_record(
        veteran=target, acting_user=worker, method="home", kind="campaign", campaign=campaign, money=Decimal("1000")
    )
    body = client.get(reverse("admin:visits_campaign_change", args=[campaign.pk])).content.decode()
    assert "应慰问 2 人，已走访 1 人（50.0%）" in body and "¥1,000.00" in body
    data["community"] = tree["community_b1"].pk
    data["name"] = "越界"
    client.post(reverse("admin:visits_campaign_add"), data)
    assert Campaign.objects.count() == 1


def test_campaign_coverage_counts_targets_only(tree):
    staff = make_staff(tree["street_a"])
    today = timezone.localdate()
    campaign = campaign_create(
        name="抗美援朝老兵慰问",
        kind="other",
        target="korean_war",
        starts_on=today,
        ends_on=today,
        area=tree["street_a"],
        acting_user=staff,
    )
    from visits.selectors import campaign_coverage

    make_veteran(tree["grid_a11"], categories=[("korean_war", None)])
    make_veteran(tree["grid_a21"])
    assert campaign_coverage(campaign)["targeted"] == 1


def test_webhook_channel_for_another_grid_is_refused(client, tree):
    client.force_login(make_staff(tree["community_a1"]))
    data = {"grid": tree["grid_b11"].pk, "kind": "wecom", "url": "https://robot.example/hook", "active": "on"}
    response = client.post(reverse("admin:visits_webhookchannel_add"), data)
    assert response.status_code == 200
    assert not WebhookChannel.objects.exists()
    data["grid"] = tree["grid_a11"].pk
    assert client.post(reverse("admin:visits_webhookchannel_add"), data).status_code == 302
    assert WebhookChannel.objects.get().community_id == tree["community_a1"].pk


def test_grid_worker_has_no_admin(client, tree):
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    assert client.get(reverse("admin:visits_visit_changelist")).status_code == 302
    assert Veteran.objects.count() == 0


def test_visit_page_shows_where_the_visit_took_place(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    located, _ = visit_record(
        veteran=veteran,
        acting_user=worker,
        method="home",
        latitude="39.123456",
        longitude="117.2",
        location_accuracy=12,
    )
    plain, _ = visit_record(veteran=veteran, acting_user=worker, method="phone")
    client.force_login(make_staff(tree["street_a"]))
    body = client.get(reverse("admin:visits_visit_change", args=[located.pk])).content.decode()
    assert "走访位置" in body and "纬度 39.123456，经度 117.200000（精度约 12 米）" in body
    body = client.get(reverse("admin:visits_visit_change", args=[plain.pk])).content.decode()
    assert "走访位置" in body and "未记录" in body
