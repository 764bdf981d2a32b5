from django.db import migrations


def grant_offline_permissions(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "offline")


class Migration(migrations.Migration):
    dependencies = [
        ("offline", "0001_initial"),
        ("grids", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant_offline_permissions, migrations.RunPython.noop)]
