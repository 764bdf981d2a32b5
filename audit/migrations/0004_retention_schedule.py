from django.db import migrations


def create_schedule(apps, schema_editor):
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    night, _ = crontab.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="审计日志保留期清理", defaults={"task": "audit.tasks.purge_expired_audit", "crontab": night}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_auditor_role_and_database_guard"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
