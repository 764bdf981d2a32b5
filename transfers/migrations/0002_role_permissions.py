from django.db import migrations


def grant(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "transfers")


class Migration(migrations.Migration):
    dependencies = [("transfers", "0001_initial"), ("grids", "0004_grid_roles_view_grid")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
