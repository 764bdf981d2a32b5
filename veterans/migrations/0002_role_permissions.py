from django.db import migrations


def grant_veteran_permissions(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "veterans")


class Migration(migrations.Migration):
    dependencies = [
        ("veterans", "0001_initial"),
        ("grids", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant_veteran_permissions, migrations.RunPython.noop)]
