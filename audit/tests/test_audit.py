import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent, AuditResult
from audit.services import audit_record
from core.db.append_only import AppendOnlyError
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import PASSWORD, DistrictFactory, make_staff


def attempt(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_successful_login_and_logout_are_recorded_with_ip(db):
    user = make_staff(DistrictFactory(), role=Role.BUREAU_LEADER)
    client = Client()
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 302
    client.post(reverse("admin:logout"), REMOTE_ADDR="10.1.2.3")
    events = list(AuditEvent.objects.filter(actor=user).order_by("id"))
    assert [e.action for e in events] == [AuditAction.LOGIN, AuditAction.LOGOUT]
    assert events[0].ip_address == "10.1.2.3"
    assert events[0].result == AuditResult.SUCCESS


def test_failed_login_is_recorded_with_the_typed_username(db):
    attempt(Client(), "nobody", "wrong")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor_username == "nobody"
    assert event.result == AuditResult.FAILURE
    assert event.ip_address == "10.1.2.3"


def test_five_failures_lock_the_account_even_with_the_right_password(db, settings):
    user = make_staff(DistrictFactory(), role=Role.BUREAU_LEADER)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, user.username, "wrong-password")
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, actor_username=user.username).exists()
    # Someone else can still log in: the lock is per account.
    other = make_staff(DistrictFactory(), role=Role.BUREAU_LEADER)
    assert attempt(Client(), other.username, PASSWORD).status_code == 302


def test_four_failures_do_not_lock(db):
    user = make_staff(DistrictFactory(), role=Role.BUREAU_LEADER)
    client = Client()
    for _ in range(4):
        attempt(client, user.username, "wrong-password")
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_audit_events_cannot_be_changed_or_deleted(db):
    event = audit_record(action=AuditAction.EXPORT, username="x")
    event.detail = {"tampered": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.LOGIN)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.detail == {} and event.action == AuditAction.EXPORT


def test_audit_admin_is_read_only_for_the_auditor(client, db):
    admin_user = make_staff(DistrictFactory(), role=Role.AUDITOR)
    event = audit_record(action=AuditAction.EXPORT, username="x")
    client.force_login(admin_user)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    response = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_station_staff_cannot_read_the_audit(client, db):
    client.force_login(make_staff(DistrictFactory(), role=Role.STATION_STAFF))
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403


def test_role_groups_exist_with_their_permissions(db):
    admin_group = Group.objects.get(name="系统管理员")
    codes = set(admin_group.permissions.values_list("codename", flat=True))
    assert {"import_area_tree", "add_staffprofile"} <= codes and "view_auditevent" not in codes  # 三员分立
    assert "view_auditevent" in Group.objects.get(name="审计员").permissions.values_list("codename", flat=True)
    worker_codes = set(Group.objects.get(name="网格员").permissions.values_list("codename", flat=True))
    assert "view_grid" in worker_codes and "change_grid" not in worker_codes and "view_auditevent" not in worker_codes
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "局领导",
        "服务站工作人员",
        "网格长",
        "网格员",
    }


def test_role_change_is_audited_with_before_and_after(db):
    from grids.services import staff_profile_change
    from grids.tests.factories import GridFactory

    grid = GridFactory()
    worker = make_staff(grids=[grid])
    staff_profile_change(
        profile=worker.staff_profile,
        role=Role.STATION_STAFF,
        scope_level="community",
        area=grid.community,
        acting_user=SYSTEM,
    )
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGE)
    assert event.detail["before"]["role"] == Role.GRID_WORKER
    assert event.detail["after"]["role"] == Role.STATION_STAFF
    worker.refresh_from_db()
    assert worker.is_staff and worker.groups.get().name == "服务站工作人员"


def _attempts_made_minutes_ago(username: str, minutes: float) -> None:
    """Move the clock: the failed attempts on record happened `minutes` ago."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username=username).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_a_locked_account_opens_again_only_after_the_cool_off(db, settings):
    user = make_staff(DistrictFactory(), role=Role.BUREAU_LEADER)
    cool_off_minutes = settings.AXES_COOLOFF_TIME * 60
    assert cool_off_minutes == 30  # AXES_COOLOFF_MINUTES' default
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), user.username, "wrong-password")
    _attempts_made_minutes_ago(user.username, cool_off_minutes - 1)
    client = Client()
    assert attempt(client, user.username, PASSWORD).status_code == 429  # still locked a minute before
    assert "_auth_user_id" not in client.session
    _attempts_made_minutes_ago(user.username, cool_off_minutes + 1)
    assert attempt(client, user.username, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.LOGIN).count() == 1


def test_the_cool_off_is_a_setting(db, settings):
    settings.AXES_COOLOFF_TIME = 5 / 60  # AXES_COOLOFF_MINUTES=5
    user = make_staff(DistrictFactory(), role=Role.BUREAU_LEADER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), user.username, "wrong-password")
    _attempts_made_minutes_ago(user.username, 4)
    assert attempt(Client(), user.username, PASSWORD).status_code == 429
    _attempts_made_minutes_ago(user.username, 6)
    assert attempt(Client(), user.username, PASSWORD).status_code == 302


def test_an_event_is_named_by_its_beijing_time():
    at = datetime.datetime(2026, 12, 4, 20, 41, tzinfo=datetime.UTC)  # 04:41 on 12-05 in Beijing
    event = AuditEvent(occurred_at=at, actor_username="station", action=AuditAction.VIEW_SENSITIVE)
    assert str(event).startswith("2026-12-05 04:41:00 station")
