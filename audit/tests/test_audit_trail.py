"""Every key action done over HTTP leaves one audit row saying who, from where, what, on which
object and with what result, whichever page or endpoint it came through."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.policy import EXPIRY_AT
from assistance.models import CaseStatus, FundEntry, ReliefFund
from assistance.services import case_open, case_step, fund_receive
from assistance.tests.factories import CaseTypeFactory
from audit.models import AuditAction, AuditEvent, AuditResult
from audit.services import audit_record, current_client_ip
from dashboard.models import ExportStatus, StatisticsExport
from grids.models import Role, StaffProfile, the_city
from grids.tests.factories import PASSWORD, make_staff
from veterans.models import Veteran
from veterans.tests.factories import make_veteran

ADDRESS = "10.20.30.40"
User = get_user_model()


def audited(action, obj, **lookups) -> AuditEvent:
    """The one row of `action` on `obj` (fails if there is none or more than one)."""
    return AuditEvent.objects.get(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk), **lookups)


def assert_row(event: AuditEvent, *, actor, action, obj) -> None:
    assert (event.actor, event.actor_username, event.ip_address) == (actor, actor.username, ADDRESS)
    assert (event.action, event.result) == (action, AuditResult.SUCCESS)
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))


def test_a_row_written_outside_a_request_has_no_address_and_inside_one_the_clients(db):
    assert audit_record(action=AuditAction.EXPORT, username="task").ip_address is None
    token = current_client_ip.set(ADDRESS)
    try:
        assert audit_record(action=AuditAction.EXPORT, username="view").ip_address == ADDRESS
    finally:
        current_client_ip.reset(token)
    assert current_client_ip.get() is None


def test_behind_the_proxy_the_address_is_the_first_forwarded_hop(client, tree, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]])
    client.force_login(worker)
    response = client.post(
        f"/api/veterans/{veteran.pk}/remove/",
        {"reason": "重复建档"},
        content_type="application/json",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"{ADDRESS}, 127.0.0.1",
    )
    assert response.status_code == 204
    assert_row(audited(AuditAction.DELETE, veteran), actor=worker, action=AuditAction.DELETE, obj=veteran)


@pytest.fixture
def illness():
    return CaseTypeFactory(name="测试用大病救助")


def _reviewed_case(tree, illness):
    worker = make_staff(grids=[tree["grid_a11"]])
    case = case_open(
        veteran=make_veteran(tree["grid_a11"]),
        case_type=illness,
        description="住院",
        reported_on=timezone.localdate(),
        amount_requested="3000",
        acting_user=worker,
    )
    case = case_step(case=case, action="submit", acting_user=worker)
    return case_step(case=case, action="review", acting_user=make_staff(tree["community_a1"], role=Role.STATION_STAFF))


def test_an_approval_on_the_case_page_is_audited_with_the_address(client, tree, illness):
    case = _reviewed_case(tree, illness)
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    client.force_login(leader)
    response = client.post(
        reverse("assistance:step", args=[case.pk]),
        {"action": "approve", "amount": "2800", "comment": "同意"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    event = audited(AuditAction.APPROVE, case)
    assert_row(event, actor=leader, action=AuditAction.APPROVE, obj=case)
    assert event.detail["step"] == "approve"


def test_a_payment_on_the_case_page_is_audited_with_the_address(client, tree, illness):
    cashier = make_staff(tree["district"], role=Role.STATION_STAFF)
    fund = ReliefFund.objects.create(name="和平区帮扶基金", level="district", district=tree["district"])
    fund_receive(fund=fund, kind="allocation", amount="100000", acting_user=cashier)
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    case = case_step(case=_reviewed_case(tree, illness), action="approve", acting_user=leader)
    client.force_login(cashier)
    response = client.post(
        reverse("assistance:step", args=[case.pk]), {"action": "pay", "fund": fund.pk}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    payment = FundEntry.objects.get(fund=fund, kind="payment")
    event = audited(AuditAction.PAY, payment)
    assert_row(event, actor=cashier, action=AuditAction.PAY, obj=payment)
    assert event.detail["amount"] == str(payment.amount)
    assert_row(audited(AuditAction.UPDATE, case, actor=cashier), actor=cashier, action=AuditAction.UPDATE, obj=case)


def test_removing_a_veteran_over_the_api_is_audited_with_the_address(tree):
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]])
    client = APIClient()
    client.force_authenticate(worker)
    response = client.post(
        f"/api/veterans/{veteran.pk}/remove/", {"reason": "重复建档"}, format="json", REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 204
    assert Veteran.objects.get(pk=veteran.pk).removed_at is not None
    event = audited(AuditAction.DELETE, veteran)
    assert_row(event, actor=worker, action=AuditAction.DELETE, obj=veteran)
    assert event.detail == {"reason": "重复建档"}


def test_updating_a_veteran_over_the_api_is_audited_with_the_address(tree):
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]])
    client = APIClient()
    client.force_authenticate(worker)
    response = client.patch(f"/api/veterans/{veteran.pk}/", {"skills": "厨师"}, format="json", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    assert Veteran.objects.get(pk=veteran.pk).skills == "厨师"
    event = audited(AuditAction.UPDATE, veteran)
    assert_row(event, actor=worker, action=AuditAction.UPDATE, obj=veteran)
    assert event.detail["fields"] == ["skills"]


def test_creating_an_account_and_changing_its_role_in_the_staff_admin_are_audited_with_the_address(client, tree):
    manager = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    client.force_login(manager)
    response = client.post(
        reverse("admin:grids_staffprofile_add"),
        {
            "username": "new_worker",
            "full_name": "张三",
            "password": "Strong#pass2026",
            "role": Role.GRID_WORKER,
            "scope_level": "grid",
            "grids": [tree["grid_a11"].pk],
            "phone": "",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    profile = StaffProfile.objects.get(user__username="new_worker")
    assert_row(audited(AuditAction.CREATE, profile), actor=manager, action=AuditAction.CREATE, obj=profile)
    response = client.post(
        reverse("admin:grids_staffprofile_change", args=[profile.pk]),
        {
            "full_name": "张三",
            "role": Role.STATION_STAFF,
            "scope_level": "community",
            "community": tree["community_a1"].pk,
            "phone": "",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.role == Role.STATION_STAFF
    event = audited(AuditAction.ROLE_CHANGE, profile)
    assert_row(event, actor=manager, action=AuditAction.ROLE_CHANGE, obj=profile)
    assert (event.detail["before"]["role"], event.detail["after"]["role"]) == (Role.GRID_WORKER, Role.STATION_STAFF)


# --- The superuser's user and group pages ---------------------------------------------------------


@pytest.fixture
def superuser(db):
    """A city-wide account manager who is also a superuser (the user pages are scoped too)."""
    user = make_staff(the_city(), role=Role.SYSTEM_ADMIN, username="root")
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    user.refresh_from_db()
    return user


def _change_form(user, **changes) -> dict:
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "groups": list(user.groups.values_list("pk", flat=True)),
        "user_permissions": [],
    }
    for flag in ("is_active", "is_staff", "is_superuser"):
        if changes.pop(flag, getattr(user, flag)):
            data[flag] = "on"
    return data | changes


def test_disabling_an_account_in_the_user_admin_is_audited_and_it_cannot_log_in(client, tree, superuser):
    worker = make_staff(grids=[tree["grid_a11"]])
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_change", args=[worker.pk]), _change_form(worker, is_active=False), REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert not worker.is_active
    assert_row(
        audited(AuditAction.ACCOUNT_DISABLED, worker), actor=superuser, action=AuditAction.ACCOUNT_DISABLED, obj=worker
    )
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE, object_id=str(worker.pk)).exists()
    client.logout()
    response = client.post(reverse("login"), {"username": worker.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_group_and_superuser_changes_in_the_user_admin_are_role_changes(client, tree, superuser):
    worker = make_staff(grids=[tree["grid_a11"]])
    leaders = Group.objects.get(name="局领导")
    client.force_login(superuser)
    data = _change_form(worker, is_superuser=True)
    data["groups"] = [*data["groups"], leaders.pk]
    response = client.post(reverse("admin:auth_user_change", args=[worker.pk]), data, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    event = audited(AuditAction.ROLE_CHANGE, worker)
    assert_row(event, actor=superuser, action=AuditAction.ROLE_CHANGE, obj=worker)
    assert event.detail["before"] == {"is_superuser": False, "groups": ["网格员"]}
    assert event.detail["after"] == {"is_superuser": True, "groups": ["局领导", "网格员"]}


def test_a_password_reset_in_the_user_admin_is_audited(client, tree, superuser):
    worker = make_staff(grids=[tree["grid_a11"]])
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[worker.pk])
    refused = client.post(url, {"password1": "Another#pass2026", "password2": "Different#2026"}, REMOTE_ADDR=ADDRESS)
    assert refused.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()
    response = client.post(
        url,
        {"password1": "Another#pass2026", "password2": "Another#pass2026", "usable_password": "true"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password("Another#pass2026")
    event = audited(AuditAction.PASSWORD_CHANGE, worker)
    assert_row(event, actor=superuser, action=AuditAction.PASSWORD_CHANGE, obj=worker)
    assert event.detail == {"by": "admin"}


def test_an_account_added_in_the_user_admin_is_audited(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "password1": "Strong#pass2026",
            "password2": "Strong#pass2026",
            "usable_password": "true",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    event = audited(AuditAction.CREATE, newcomer)
    assert_row(event, actor=superuser, action=AuditAction.CREATE, obj=newcomer)
    assert event.detail["is_superuser"] is False


def test_accounts_and_role_groups_cannot_be_deleted_in_the_admin(client, tree, superuser):
    worker = make_staff(grids=[tree["grid_a11"]])
    group = Group.objects.get(name="网格员")
    client.force_login(superuser)
    assert client.post(reverse("admin:auth_user_delete", args=[worker.pk]), {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=worker.pk).exists() and Group.objects.filter(pk=group.pk).exists()


def test_a_change_of_a_groups_permissions_is_audited(client, superuser):
    group = Group.objects.get(name="网格员")
    before = set(group.permissions.values_list("pk", flat=True))
    dropped = sorted(before)[0]
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": sorted(before - {dropped})},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    event = audited(AuditAction.ROLE_CHANGE, group)
    assert_row(event, actor=superuser, action=AuditAction.ROLE_CHANGE, obj=group)
    assert event.detail["added"] == [] and len(event.detail["removed"]) == 1


def test_changing_ones_own_password_is_audited(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    client.force_login(worker)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Another#pass2026", "new_password2": "Another#pass2026"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    event = audited(AuditAction.PASSWORD_CHANGE, worker)
    assert_row(event, actor=worker, action=AuditAction.PASSWORD_CHANGE, obj=worker)
    assert event.detail == {"by": "self"}
    assert client.session[EXPIRY_AT] > timezone.now().timestamp()


def test_a_background_statistics_export_is_audited_when_asked_and_with_its_row_count_when_built(
    client, tree, django_capture_on_commit_callbacks
):
    for grid in ("grid_a11", "grid_a12", "grid_b11"):
        make_veteran(tree[grid])
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:export_start"),
            {"level": "district", "id": tree["district"].pk, "rows_level": "grid"},
            REMOTE_ADDR=ADDRESS,
        )
    assert response.status_code == 302
    export = StatisticsExport.objects.get()
    assert export.status == ExportStatus.DONE and export.rows == 8 + 1  # eight grids and the total
    asked, built = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(export.pk)).order_by("id")
    assert_row(asked, actor=leader, action=AuditAction.EXPORT, obj=export)
    assert (built.actor, built.object_type) == (leader, "dashboard.statisticsexport")
    assert built.detail == {"area": f"district:{tree['district'].pk}", "rows": 9}
