"""On PostgreSQL the retention job removes old audit rows through a function that runs with the
owner's rights (SECURITY DEFINER), so that the application's own role (`audit_lockdown`) needs
no DELETE on the audit table. The function itself never removes rows younger than 180 days."""

from django.db import migrations

PURGE = """
CREATE OR REPLACE FUNCTION audit_purge_expired(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    removed bigint;
BEGIN
    DELETE FROM audit_auditevent WHERE occurred_at < LEAST(cutoff, now() - interval '180 days');
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION audit_purge_expired(timestamptz) FROM PUBLIC;
"""
UNPURGE = "DROP FUNCTION IF EXISTS audit_purge_expired(timestamptz);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PURGE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPURGE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_account_actions")]

    operations = [migrations.RunPython(create, drop)]
