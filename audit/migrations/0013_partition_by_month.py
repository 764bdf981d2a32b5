"""PostgreSQL: audit events become a table partitioned by month of `occurred_at`
(core.db.partitions), every row copied over in batches, the append-only trigger and the grants
made again on the parent (and so on every month). Retention now drops whole months: a month
leaves when all of it is past the retention period (so rows stay up to a month longer than
AUDIT_RETENTION_DAYS, never less), and only rows in the default partition (dated outside the
months) are deleted one by one. Never anything younger than 180 days. SQLite keeps a plain table."""

from django.db import migrations

from core.db.partitions import rebuild

PURGE_MONTHS = r"""
CREATE OR REPLACE FUNCTION audit_purge_expired(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    limit_at timestamptz := LEAST(cutoff, now() - interval '180 days');
    part record;
    removed bigint := 0;
    counted bigint;
BEGIN
    FOR part IN
        SELECT c.oid::regclass AS rel
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_auditevent'::regclass AND c.relname ~ '_p[0-9]{6}$'
          AND (to_date(right(c.relname, 6), 'YYYYMM')::timestamp + interval '1 month') AT TIME ZONE 'UTC' <= limit_at
        ORDER BY c.relname
    LOOP
        EXECUTE format('SELECT count(*) FROM %s', part.rel) INTO counted;
        EXECUTE format('DROP TABLE %s', part.rel);
        removed := removed + counted;
    END LOOP;
    IF to_regclass('audit_auditevent_default') IS NOT NULL THEN
        DELETE FROM audit_auditevent_default WHERE occurred_at < limit_at;
    ELSE
        DELETE FROM audit_auditevent WHERE occurred_at < limit_at;
    END IF;
    GET DIAGNOSTICS counted = ROW_COUNT;
    RETURN removed + counted;
END;
$$;
REVOKE ALL ON FUNCTION audit_purge_expired(timestamptz) FROM PUBLIC;
"""
PURGE_ROWS = r"""
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


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        rebuild(schema_editor, "audit_auditevent", "occurred_at", partitioned=True)
        schema_editor.execute(PURGE_MONTHS, params=None)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        rebuild(schema_editor, "audit_auditevent", "occurred_at", partitioned=False)
        schema_editor.execute(PURGE_ROWS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_month_partition_functions"),
        ("audit", "0012_auditor_search_indexes"),
    ]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
