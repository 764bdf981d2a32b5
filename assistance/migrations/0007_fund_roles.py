from django.db import migrations


def grant(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "assistance")


class Migration(migrations.Migration):
    dependencies = [("assistance", "0006_case_action_choices")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
