from django.db import migrations


def create_defaults(apps, schema_editor):
    from grids.roles import sync_role_permissions

    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    night, _ = crontab.objects.get_or_create(
        minute="40", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="口袋党员、流动党员建立跟进", defaults={"task": "party.tasks.open_party_followups", "crontab": night}
    )
    sync_role_permissions(apps, "party")


class Migration(migrations.Migration):
    dependencies = [
        ("party", "0001_initial"),
        ("grids", "0004_grid_roles_view_grid"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
