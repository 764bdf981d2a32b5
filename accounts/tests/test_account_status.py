"""System admins disable and enable accounts (离岗、调离) from the staff pages: never deleted,
the live session ends, every change audited, only within their area and never their own."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import account_set_active
from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError
from grids.models import Role, StaffProfile
from grids.tests.factories import PASSWORD, StreetFactory, make_staff

CHANGELIST = "admin:grids_staffprofile_changelist"


def run_action(client, action: str, user):
    profile = StaffProfile.objects.get(user=user)
    return client.post(reverse(CHANGELIST), {"action": action, "_selected_action": [profile.pk]}, follow=True)


def logs_in(user) -> bool:
    """Through the real login form (django-axes needs the request)."""
    response = Client().post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return response.status_code == 302


def test_a_system_admin_disables_an_account_which_loses_its_session_and_can_enable_it_again(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    staff = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get("/appeals/").status_code == 200
    admin_client = Client()
    admin_client.force_login(admin_user)

    response = run_action(admin_client, "disable_accounts", staff)

    assert "已停用 1 个账号" in response.content.decode()
    staff.refresh_from_db()
    assert not staff.is_active
    assert staff_client.get("/appeals/").status_code == 302  # the live session has ended
    assert not logs_in(staff)
    disabled = AuditEvent.objects.get(action=AuditAction.ACCOUNT_DISABLED)
    assert disabled.actor == admin_user and disabled.detail["user"] == staff.username
    assert disabled.ip_address == "127.0.0.1"

    response = run_action(admin_client, "enable_accounts", staff)

    assert "已启用 1 个账号" in response.content.decode()
    staff.refresh_from_db()
    assert staff.is_active and logs_in(staff)
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_ENABLED, actor=admin_user).count() == 1
    assert StaffProfile.objects.filter(user=staff).exists()  # nothing was deleted


def test_disabling_is_refused_for_ones_own_account_outside_the_area_and_without_the_permission(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    colleague = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    elsewhere = make_staff(StreetFactory(name="外区街道"), role=Role.STATION_STAFF)

    with pytest.raises(ApplicationError, match="不能停用或启用自己的账号"):
        account_set_active(user=admin_user, active=False, acting_user=admin_user)
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        account_set_active(user=elsewhere, active=False, acting_user=admin_user)
    with pytest.raises(ApplicationError, match="没有停用或启用账号的权限"):
        account_set_active(user=colleague, active=False, acting_user=station)

    for user in (admin_user, elsewhere, colleague):
        user.refresh_from_db()
        assert user.is_active
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_DISABLED).exists()


def test_the_admin_action_reports_a_refusal_and_changes_nothing(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    other_admin = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    client = Client()
    client.force_login(admin_user)

    response = run_action(client, "disable_accounts", admin_user)

    assert "不能停用或启用自己的账号" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert run_action(client, "disable_accounts", other_admin).status_code == 200
    other_admin.refresh_from_db()
    assert not other_admin.is_active
