from django.db import migrations


def schedule(apps, schema_editor):
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = crontab.objects.get_or_create(
        minute="20", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="转介跟进提醒", defaults={"task": "referrals.tasks.remind_follow_ups", "crontab": morning}
    )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_defaults"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
