"""A staff member's name changes through staff_name_change, audited, from the staff page too."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError
from grids.models import Role, StaffProfile
from grids.services import staff_name_change
from grids.tests.factories import make_staff


def _name_rows(user):
    return AuditEvent.objects.filter(object_type="auth.user", object_id=str(user.pk), action=AuditAction.UPDATE)


def test_it_changes_the_name_with_an_audit_row_naming_the_field_only(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    worker = make_staff(grids=[tree["grid_a11"]])
    staff_name_change(profile=worker.staff_profile, full_name=" 李四 ", acting_user=admin_user)
    worker.refresh_from_db()
    assert worker.first_name == "李四"
    row = _name_rows(worker).get()
    assert row.actor == admin_user and row.detail == {"fields": ["first_name"]}
    assert "李四" not in str(row.detail)


def test_an_unchanged_name_writes_nothing(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    worker = make_staff(grids=[tree["grid_a11"]])
    staff_name_change(profile=worker.staff_profile, full_name=worker.first_name, acting_user=admin_user)
    assert not _name_rows(worker).exists()


def test_a_name_outside_the_users_scope_is_refused(tree):
    street_staff = make_staff(tree["street_a"])
    elsewhere = make_staff(grids=[tree["grid_b11"]])
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        staff_name_change(profile=elsewhere.staff_profile, full_name="王五", acting_user=street_staff)
    elsewhere.refresh_from_db()
    assert elsewhere.first_name == "测试人员" and not _name_rows(elsewhere).exists()


def test_the_staff_page_changes_a_name_through_the_service(client, tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    worker = make_staff(grids=[tree["grid_a11"]])
    profile = StaffProfile.objects.get(user=worker)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:grids_staffprofile_change", args=[profile.pk]),
        {
            "full_name": "赵六",
            "phone": "",
            "role": Role.GRID_WORKER,
            "scope_level": "grid",
            "grids": [tree["grid_a11"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    worker.refresh_from_db()
    assert worker.first_name == "赵六"
    assert _name_rows(worker).get().actor == admin_user
