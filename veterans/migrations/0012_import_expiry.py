from django.db import migrations, models


def create_schedule(apps, schema_editor):
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    night, _ = crontab.objects.get_or_create(
        minute="10", hour="4", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="清除逾期未确认的导入文件", defaults={"task": "veterans.tasks.expire_veteran_imports", "crontab": night}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("veterans", "0011_drop_redundant_veteran_fk_indexes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AlterField(
            model_name="veteranimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("validating", "校验中"),
                    ("invalid", "有错误"),
                    ("valid", "校验通过，待确认"),
                    ("importing", "导入中"),
                    ("done", "已导入"),
                    ("failed", "导入失败"),
                    ("expired", "逾期未确认，已清除"),
                ],
                default="validating",
                max_length=12,
                verbose_name="状态",
            ),
        ),
        migrations.RunPython(create_schedule, migrations.RunPython.noop),
    ]
