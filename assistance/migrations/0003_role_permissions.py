from django.db import migrations


def grant(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "assistance")


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0002_casetype_hardshipcase_casestep_and_more"),
        ("grids", "0004_grid_roles_view_grid"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
