from django.db import migrations


def create_schedule(apps, schema_editor):
    interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = interval.objects.get_or_create(every=1, period="minutes")
    periodic.objects.get_or_create(
        name="看板数据每分钟更新", defaults={"task": "dashboard.tasks.warm_dashboard", "interval": every_minute}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0003_statistics_export"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
