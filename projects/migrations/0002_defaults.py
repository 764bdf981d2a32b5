from django.db import migrations


def grant_role_permissions(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "projects")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial"), ("grids", "0007_staffprofile_phone_encrypted")]

    operations = [migrations.RunPython(grant_role_permissions, migrations.RunPython.noop)]
