from django.db import migrations


def create_defaults(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "referrals")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("grids", "0007_staffprofile_phone_encrypted")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
