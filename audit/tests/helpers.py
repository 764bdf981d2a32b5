"""Test helpers for the audit: events aged as time would age them, and the application's role."""

import contextlib
import datetime
import io

from django.core.management import call_command
from django.db import connection
from django.utils import timezone


def back_date(event, days: int) -> None:
    """Move `event` `days` into the past. The model refuses updates and, on PostgreSQL, so does the
    trigger: the test's owner switches it off for this one statement (and the row changes month)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # deferred checks pending in a test's transaction block ALTER TABLE
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=days), event.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


@contextlib.contextmanager
def application_role(postgres, role: str):
    """The role `audit_lockdown` makes, and a second connection logged in as it; dropped after
    (roles belong to the cluster, not to the test database)."""
    import psycopg2

    call_command("audit_lockdown", app_role=role, stdout=io.StringIO())
    settings_dict = postgres.settings_dict
    app = psycopg2.connect(
        host=settings_dict["HOST"], port=settings_dict["PORT"], dbname=settings_dict["NAME"], user=role
    )
    try:
        yield app
    finally:
        app.close()
        with postgres.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
