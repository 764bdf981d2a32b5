from django.db import migrations


def schedule(apps, schema_editor):
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    night, _ = crontab.objects.get_or_create(
        minute="40", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="查找疑似重复档案", defaults={"task": "merging.tasks.find_duplicates", "crontab": night}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("merging", "0002_role_permissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
