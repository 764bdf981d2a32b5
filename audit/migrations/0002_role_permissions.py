from django.db import migrations


def grant_audit_permissions(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "audit")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("grids", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant_audit_permissions, migrations.RunPython.noop)]
