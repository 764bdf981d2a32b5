"""Audit retention: rows are kept at least six months (MLPS 2.0 level 3). The job removes only
rows older than AUDIT_RETENTION_DAYS, never less than 180 days whatever the setting says; on
PostgreSQL the database refuses anything younger anyway, and the removal goes through the
owner's `audit_purge_expired` function (migration 0007), since the application's role may not
delete audit rows (`manage.py audit_lockdown`)."""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

MINIMUM_DAYS = 180


def retention_days() -> int:
    return max(settings.AUDIT_RETENTION_DAYS, MINIMUM_DAYS)


def purge_expired(now: datetime.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    with connection.cursor() as cursor:  # the model refuses deletes: this is the one sanctioned path
        if connection.vendor == "postgresql":
            cursor.execute("SELECT audit_purge_expired(%s)", [cutoff])
            return cursor.fetchone()[0]
        cursor.execute("DELETE FROM audit_auditevent WHERE occurred_at < %s", [cutoff])
        return cursor.rowcount
