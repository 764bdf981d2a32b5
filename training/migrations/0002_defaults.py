from django.db import migrations


def give_roles_their_permissions(apps, schema_editor):
    from grids.roles import sync_role_permissions

    sync_role_permissions(apps, "training")


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("grids", "0004_grid_roles_view_grid")]

    operations = [migrations.RunPython(give_roles_their_permissions, migrations.RunPython.noop)]
