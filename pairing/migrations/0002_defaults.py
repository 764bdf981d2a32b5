from django.db import migrations


def grant_roles(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "pairing")


class Migration(migrations.Migration):
    dependencies = [("pairing", "0001_initial")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
