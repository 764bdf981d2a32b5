from django.db import migrations

DEFAULT_INTERVALS = {
    "age_80_plus": 30,
    "extreme_hardship": 30,
    "disabled_1_4": 30,
    "priority_care": 90,
    "everyone": 182,
}


def create_defaults(apps, schema_editor):
    from grids.roles import sync_role_permissions

    policy = apps.get_model("visits", "VisitPolicy")
    for group, days in DEFAULT_INTERVALS.items():
        policy.objects.get_or_create(group=group, defaults={"interval_days": days})
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = crontab.objects.get_or_create(
        minute="0", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    night, _ = crontab.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="每日走访提醒", defaults={"task": "visits.tasks.send_daily_reminders", "crontab": morning}
    )
    periodic.objects.get_or_create(
        name="每日重算走访到期日", defaults={"task": "visits.tasks.refresh_all_schedules", "crontab": night}
    )
    sync_role_permissions(apps, "visits")
    sync_role_permissions(apps, "django_celery_beat")


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
        ("grids", "0004_grid_roles_view_grid"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
