from django.db import migrations


def grant(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "grids")


class Migration(migrations.Migration):
    dependencies = [("grids", "0003_area_constraint_messages")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
