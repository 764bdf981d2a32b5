from django.db import migrations


def grant_roles(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "maps")


class Migration(migrations.Migration):
    dependencies = [("maps", "0001_initial"), ("grids", "0007_staffprofile_phone_encrypted")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
