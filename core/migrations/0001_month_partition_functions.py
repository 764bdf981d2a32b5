"""PostgreSQL: the owner's functions that keep monthly partitions (core.db.partitions).

The application's role (`audit_lockdown`) does not own the tables, so it cannot create partitions
itself: the daily job calls `vg_add_month_partitions`, which runs with the owner's rights
(SECURITY DEFINER) and only ever adds empty months. Each new partition gets exactly its parent's
grants (`vg_mirror_partition_acl`), so the audit's partitions stay SELECT and INSERT only for the
application, whatever the schema's default privileges say. SQLite has no partitions."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION vg_mirror_partition_acl(parent regclass) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    part regclass;
    grant_row record;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = parent LOOP
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', part);
        FOR grant_row IN
            SELECT DISTINCT acl.grantee::regrole AS grantee
            FROM pg_class c, aclexplode(c.relacl) acl
            WHERE c.oid = part AND acl.grantee <> 0 AND acl.grantee <> c.relowner
        LOOP
            EXECUTE format('REVOKE ALL ON %s FROM %s', part, grant_row.grantee);
        END LOOP;
        FOR grant_row IN
            SELECT acl.grantee, acl.privilege_type
            FROM pg_class c, aclexplode(c.relacl) acl
            WHERE c.oid = parent AND acl.grantee <> c.relowner
        LOOP
            EXECUTE format(
                'GRANT %s ON %s TO %s', grant_row.privilege_type, part,
                CASE WHEN grant_row.grantee = 0 THEN 'PUBLIC' ELSE grant_row.grantee::regrole::text END
            );
        END LOOP;
    END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION vg_add_month_partitions(parent regclass, first_month date, last_month date)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    key_column text;
    parent_name text;
    month date := date_trunc('month', first_month)::date;
    lower_bound timestamptz;
    upper_bound timestamptz;
    part_name text;
    default_part regclass;
    crowded boolean;
    added integer := 0;
BEGIN
    SELECT a.attname, c.relname INTO key_column, parent_name
    FROM pg_partitioned_table p
    JOIN pg_class c ON c.oid = p.partrelid
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = parent AND p.partstrat = 'r' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user);
    IF key_column IS NULL THEN
        RAISE EXCEPTION '% is not a range-partitioned table of this owner', parent;
    END IF;
    default_part := to_regclass(parent_name || '_default');
    WHILE month <= last_month LOOP
        part_name := parent_name || '_p' || to_char(month, 'YYYYMM');
        IF to_regclass(part_name) IS NULL THEN
            lower_bound := (month::timestamp AT TIME ZONE 'UTC');
            upper_bound := ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            crowded := false;
            IF default_part IS NOT NULL THEN
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= $1 AND %I < $2)', default_part,
                               key_column, key_column)
                    INTO crowded USING lower_bound, upper_bound;
            END IF;
            IF crowded THEN
                -- Rows of that month already sit in the default partition (dated ahead of the
                -- partitions): they stay there, where every query still finds them.
                RAISE WARNING '% keeps its rows of % in %', parent, to_char(month, 'YYYY-MM'), default_part;
            ELSE
                EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', part_name, parent,
                               lower_bound, upper_bound);
                added := added + 1;
            END IF;
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
    IF added > 0 THEN
        PERFORM vg_mirror_partition_acl(parent);
    END IF;
    RETURN added;
END;
$$;
REVOKE ALL ON FUNCTION vg_add_month_partitions(regclass, date, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION vg_mirror_partition_acl(regclass) FROM PUBLIC;
"""
DROP = """
DROP FUNCTION IF EXISTS vg_add_month_partitions(regclass, date, date);
DROP FUNCTION IF EXISTS vg_mirror_partition_acl(regclass);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop)]
