"""Audit retention, the database guard (PostgreSQL) and the auditor's scoped, exportable view."""

import datetime
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from audit.retention import purge_expired
from audit.services import audit_record
from audit.tasks import purge_expired_audit
from grids.models import Role, the_city
from grids.tests.factories import DistrictFactory, make_staff


def _aged(days: int) -> AuditEvent:
    event = audit_record(action=AuditAction.EXPORT, username="x")
    with connection.cursor() as cursor:  # back-date it, as time would
        cursor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER USER"
        ) if connection.vendor == "postgresql" else None
        cursor.execute(
            "UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=days), event.pk],
        )
        cursor.execute(
            "ALTER TABLE audit_auditevent ENABLE TRIGGER USER"
        ) if connection.vendor == "postgresql" else None
    return event


@pytest.mark.django_db(transaction=True)
def test_retention_removes_only_rows_past_the_period_and_never_younger_than_six_months(settings):
    settings.AUDIT_RETENTION_DAYS = 30  # too short: the floor of 180 days applies
    young, middle, old = _aged(10), _aged(100), _aged(400)
    assert purge_expired() == 1
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and {young.pk, middle.pk} <= remaining
    settings.AUDIT_RETENTION_DAYS = 365
    assert purge_expired_audit.apply().get() == 0
    assert {young.pk, middle.pk} <= set(AuditEvent.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_or_delete_young_audit_rows(postgres):
    event = audit_record(action=AuditAction.EXPORT, username="x")
    for statement in (
        "UPDATE audit_auditevent SET action = 'login' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.EXPORT


def test_a_district_auditor_sees_that_district_and_exports_it(client, tree):
    here = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    elsewhere = make_staff(DistrictFactory(name="河西区"), role=Role.STATION_STAFF)
    mine, theirs = (
        audit_record(action=AuditAction.EXPORT, actor=here),
        audit_record(action=AuditAction.EXPORT, actor=elsewhere),
    )
    auditor = make_staff(tree["district"], role=Role.AUDITOR)
    client.force_login(auditor)
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    shown = {e.pk for e in listing.context["cl"].result_list}
    assert mine.pk in shown and theirs.pk not in shown
    response = client.post(
        reverse("admin:audit_auditevent_changelist"), {"action": "export_events", "_selected_action": [mine.pk]}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    assert any(here.username in (row[2] or "") for row in sheet.iter_rows(values_only=True))
    city_auditor = make_staff(the_city(), role=Role.AUDITOR)
    client.force_login(city_auditor)
    shown = {e.pk for e in client.get(reverse("admin:audit_auditevent_changelist")).context["cl"].result_list}
    assert {mine.pk, theirs.pk} <= shown


def test_the_system_admin_does_not_read_the_audit(client, tree):
    client.force_login(make_staff(tree["district"], role=Role.SYSTEM_ADMIN))
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
