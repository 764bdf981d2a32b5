from django.db import migrations


def grant(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "assistance")


class Migration(migrations.Migration):
    dependencies = [("assistance", "0008_case_reversal_step")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
