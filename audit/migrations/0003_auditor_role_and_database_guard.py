"""The auditor role reads the audit instead of the system admin (三员分立), and on PostgreSQL
the database itself refuses to change audit rows or delete any younger than the retention floor
(180 days), whatever code or console connects as the app's user. (SQLite, for development, has
no such guard: its test flushes delete every row.)"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.occurred_at < now() - interval '180 days' THEN
        RETURN OLD;  -- the retention job may remove what is older than six months
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)


def move_audit_reading(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "audit")
    group = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    view = permission.objects.filter(content_type__app_label="audit", codename="view_auditevent").first()
    admins = group.objects.filter(name="系统管理员").first()
    if view is not None and admins is not None:
        admins.permissions.remove(view)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_role_permissions"),
        ("grids", "0006_auditor_role"),
    ]

    operations = [
        migrations.RunPython(guard, unguard),
        migrations.RunPython(move_audit_reading, migrations.RunPython.noop),
    ]
