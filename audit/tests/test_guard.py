"""Audit retention, the database guard (PostgreSQL) and the auditor's scoped, exportable view."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from audit.retention import purge_expired
from audit.services import audit_record
from audit.tasks import purge_expired_audit
from audit.tests.helpers import application_role, back_date
from grids.models import Role, the_city
from grids.tests.factories import DistrictFactory, make_staff


def _aged(days: int) -> AuditEvent:
    event = audit_record(action=AuditAction.EXPORT, username="x")
    back_date(event, days)
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


APP_ROLE = "vg_test_app"
REFUSED_ON_THE_AUDIT = {
    "UPDATE": "UPDATE audit_auditevent SET action = 'login' WHERE id = %(id)s",
    "DELETE": "DELETE FROM audit_auditevent WHERE id = %(id)s",
    "TRUNCATE": "TRUNCATE audit_auditevent",
    "DISABLE TRIGGER": "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only",
    "DROP TRIGGER": "DROP TRIGGER audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION": "DROP FUNCTION audit_event_append_only() CASCADE",
}


@pytest.fixture
def app_role(postgres):
    """The role made by `audit_lockdown`, and a second connection logged in as it."""
    with application_role(postgres, APP_ROLE) as app:
        yield app


@pytest.mark.django_db(transaction=True)
def test_the_application_role_appends_audit_rows_but_cannot_change_empty_or_unguard_them(app_role, tree):
    import psycopg2

    event = audit_record(action=AuditAction.EXPORT, username="before")
    cursor = app_role.cursor()
    cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    assert cursor.fetchone() == (APP_ROLE, False)
    cursor.execute(
        "INSERT INTO audit_auditevent (occurred_at, actor_username, action, result, object_type, object_id,"
        " object_repr, detail) VALUES (now(), 'app', 'export', 'success', '', '', '', '{}') RETURNING id"
    )
    appended = cursor.fetchone()[0]
    app_role.commit()
    for what, statement in REFUSED_ON_THE_AUDIT.items():
        with pytest.raises(psycopg2.Error) as refused:
            cursor.execute(statement % {"id": event.pk})
        assert refused.value.pgcode == "42501", what  # insufficient privilege / must be owner
        app_role.rollback()
    cursor.execute("GRANT DELETE, TRUNCATE ON audit_auditevent TO PUBLIC")  # not the owner: a warning, no grant
    for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
        cursor.execute("SELECT has_table_privilege(current_user, 'audit_auditevent', %s)", [privilege])
        assert cursor.fetchone() == (False,), privilege
    # Ordinary tables stay writable, and the retention job's function runs (nothing is old enough).
    district = tree["district"]
    cursor.execute("UPDATE grids_district SET name = %s WHERE id = %s", ["改名区", district.pk])
    assert cursor.rowcount == 1
    cursor.execute("INSERT INTO django_session VALUES ('lockdown-test', 'x', now()) ")
    cursor.execute("DELETE FROM django_session WHERE session_key = 'lockdown-test'")
    assert cursor.rowcount == 1
    cursor.execute("SELECT audit_purge_expired(now())")
    assert cursor.fetchone()[0] == 0
    app_role.commit()
    district.refresh_from_db()
    assert district.name == "改名区"
    assert set(AuditEvent.objects.values_list("pk", flat=True)) >= {event.pk, appended}
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.EXPORT
    with connection.cursor() as owner:  # the trigger is still there and enabled
        owner.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_event_append_only'")
        assert owner.fetchone() == ("O",)


@pytest.mark.django_db(transaction=True)
def test_lockdown_refuses_to_make_the_owner_its_own_application_role(postgres):
    owner = postgres.settings_dict["USER"]
    with pytest.raises(CommandError, match="must not be the tables' owner"):
        call_command("audit_lockdown", app_role=owner, stdout=io.StringIO())


def test_the_auditors_search_finds_rows_by_actor_object_and_address_only_in_scope(client, tree):
    from audit.services import current_client_ip
    from veterans.tests.factories import make_veteran

    here = make_staff(tree["street_a"], role=Role.STATION_STAFF, username="here_staff")
    elsewhere = make_staff(DistrictFactory(name="河西区"), role=Role.STATION_STAFF, username="there_staff")
    veteran = make_veteran(tree["grid_a11"], name="检索老兵")
    token = current_client_ip.set("10.44.55.66")
    try:
        mine = audit_record(action=AuditAction.UPDATE, actor=here, obj=veteran)
        theirs = audit_record(action=AuditAction.UPDATE, actor=elsewhere, obj=veteran)  # same object, same address
    finally:
        current_client_ip.reset(token)
    other = audit_record(action=AuditAction.EXPORT, actor=here)
    client.force_login(make_staff(tree["district"], role=Role.AUDITOR))
    changelist = reverse("admin:audit_auditevent_changelist")

    def found(query: str) -> set[int]:
        response = client.get(changelist, {"q": query})
        assert response.status_code == 200
        return {event.pk for event in response.context["cl"].result_list}

    assert found("here_staff") == {mine.pk, other.pk}
    assert found("there_staff") == set()  # another district's account: not even by name
    assert found("检索老兵") == {mine.pk}
    assert found("索老兵") == {mine.pk}  # three characters: anywhere in the name (trigram index)
    assert found("检索") == {mine.pk} and found("老兵") == set()  # one or two: from the start
    assert found(str(veteran.pk)) >= {mine.pk} and theirs.pk not in found(str(veteran.pk))
    assert found("10.44.55.66") == {mine.pk}
    assert found("10.44.55") == {mine.pk}
    assert found("10.99.99.99") == set()


def test_the_nightly_retention_job_is_scheduled_and_names_the_real_task(db):
    from django_celery_beat.models import PeriodicTask

    from config.celery import app

    entry = PeriodicTask.objects.select_related("crontab").get(name="审计日志保留期清理")
    assert entry.enabled and entry.task == "audit.tasks.purge_expired_audit"
    crontab = entry.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, crontab.day_of_month, crontab.month_of_year) == (
        "30",
        "3",
        "*",
        "*",
        "*",
    )
    assert str(crontab.timezone) == "Asia/Shanghai"
    app.loader.import_default_modules()
    assert entry.task in app.tasks and app.tasks[entry.task].name == purge_expired_audit.name
    old = _aged(400)
    assert app.tasks[entry.task].apply().get() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
