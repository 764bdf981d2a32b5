from django.db import migrations


def create_defaults(apps, schema_editor):
    from grids.roles import sync_role_permissions

    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    evening, _ = crontab.objects.get_or_create(
        minute="50", hour="23", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="每日统计快照", defaults={"task": "dashboard.tasks.take_daily_snapshot", "crontab": evening}
    )
    sync_role_permissions(apps, "dashboard")


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("grids", "0004_grid_roles_view_grid"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
