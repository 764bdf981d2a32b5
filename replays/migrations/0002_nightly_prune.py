from django.db import migrations


def schedule(apps, schema_editor):
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    night, _ = crontab.objects.get_or_create(
        minute="10", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="清理过期离线提交回执", defaults={"task": "replays.tasks.prune_receipts", "crontab": night}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("replays", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
