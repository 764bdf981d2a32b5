from django.db import migrations


def grant(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "merging")


class Migration(migrations.Migration):
    dependencies = [
        ("merging", "0001_initial"),
        ("grids", "0007_staffprofile_phone_encrypted"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
