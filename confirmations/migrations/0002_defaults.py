from django.db import migrations


def create_defaults(apps, schema_editor):
    from grids.roles import sync_role_permissions

    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = crontab.objects.get_or_create(
        minute="20", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="年度确认：开启本年度确认并暂停逾期未确认者的定期补助",
        defaults={"task": "confirmations.tasks.confirm_daily", "crontab": morning},
    )
    sync_role_permissions(apps, "confirmations")


class Migration(migrations.Migration):
    dependencies = [
        ("confirmations", "0001_initial"),
        ("grids", "0007_staffprofile_phone_encrypted"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
