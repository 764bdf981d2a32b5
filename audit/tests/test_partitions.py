"""The audit table by month (PostgreSQL): retention drops whole months, and the guard and the
application role's grants hold on every month, also on months the daily job adds later."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from audit.retention import purge_expired
from audit.tests.helpers import application_role
from core.db.partitions import add_month_partitions, month_start, partitions


def _month_of(days_ago: int) -> datetime.date:
    return month_start((timezone.now() - datetime.timedelta(days=days_ago)).astimezone(datetime.UTC).date())


def _insert(at: datetime.datetime, count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_username, action, result, object_type, object_id,"
            " object_repr, detail) SELECT %s, 'x', 'export', 'success', '', '', '', '{}' FROM generate_series(1, %s)",
            [at, count],
        )


def _count(where: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM audit_auditevent WHERE {where}", params)
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_retention_drops_whole_expired_months_and_keeps_any_month_still_partly_young(postgres, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    expired, partly, kept = _month_of(430), _month_of(365), _month_of(250)
    for month in (expired, partly, kept):
        add_month_partitions("audit_auditevent", month, month)
    now = timezone.now()
    expired_at = datetime.datetime.combine(expired, datetime.time(12), tzinfo=datetime.UTC)
    _insert(expired_at, 30)
    _insert(now - datetime.timedelta(days=366), 5)  # past the period, but its month is partly young
    _insert(now - datetime.timedelta(days=250), 4)
    _insert(now - datetime.timedelta(days=800), 2)  # no month of its own: in the default partition
    _insert(now - datetime.timedelta(days=20), 3)
    assert purge_expired() == 32  # the expired month whole, and the default partition's old rows
    names = set(partitions("audit_auditevent"))
    assert f"audit_auditevent_p{expired:%Y%m}" not in names
    assert {f"audit_auditevent_p{partly:%Y%m}", f"audit_auditevent_p{kept:%Y%m}"} <= names
    assert _count("occurred_at < %s", [now - datetime.timedelta(days=365)]) == 5  # kept with their month
    assert _count("occurred_at >= %s", [now - datetime.timedelta(days=365)]) == 7
    settings.AUDIT_RETENTION_DAYS = 30  # the floor of 180 days holds for months too
    assert purge_expired() == 5 + 4  # the two months now wholly older than 180 days
    assert _count("occurred_at >= %s", [now - datetime.timedelta(days=180)]) == 3


APP_ROLE = "vg_test_partition_app"


@pytest.fixture
def app_cursor(postgres):
    with application_role(postgres, APP_ROLE) as app:
        app.autocommit = True
        yield app.cursor()


def _privileges(cursor, table: str) -> set[str]:
    found = set()
    for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
        cursor.execute("SELECT has_table_privilege(current_user, %s, %s)", [table, privilege])
        if cursor.fetchone()[0]:
            found.add(privilege)
    return found


@pytest.mark.django_db(transaction=True)
def test_every_audit_month_is_guarded_and_read_and_append_only_for_the_application(app_cursor):
    import psycopg2

    far = month_start(datetime.date.today().replace(year=datetime.date.today().year + 2))
    app_cursor.execute("SELECT vg_add_month_partitions('audit_auditevent', %s, %s)", [far, far])  # as the daily job
    assert app_cursor.fetchone()[0] == 1
    months = partitions("audit_auditevent")
    assert f"audit_auditevent_p{far:%Y%m}" in months and months[-1] == "audit_auditevent_default"
    for month in months:
        assert _privileges(app_cursor, month) == {"SELECT", "INSERT"}, month
        with connection.cursor() as owner:
            owner.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = 'audit_event_append_only'",
                [month],
            )
            assert owner.fetchone() == ("O",), month
    for month in ("visits_visit", *partitions("visits_visit")):
        assert _privileges(app_cursor, month) == {"SELECT", "INSERT", "UPDATE", "DELETE"}, month
    app_cursor.execute(
        "INSERT INTO audit_auditevent (occurred_at, actor_username, action, result, object_type, object_id,"
        " object_repr, detail) VALUES (now(), 'app', 'export', 'success', '', '', '', '{}')"
        " RETURNING tableoid::regclass::text"
    )
    this_month = app_cursor.fetchone()[0]
    assert this_month == f"audit_auditevent_p{_month_of(0):%Y%m}"
    for statement in (
        f"DELETE FROM {this_month}",
        f"UPDATE {this_month} SET action = 'login'",
        f"TRUNCATE {this_month}",
    ):
        with pytest.raises(psycopg2.Error) as refused:
            app_cursor.execute(statement)
        assert refused.value.pgcode == "42501", statement
    # Even the owner's own DELETE of a young row meets the trigger.
    with connection.cursor() as owner, pytest.raises(Exception, match="append-only"):
        owner.execute(f"DELETE FROM {this_month}")
