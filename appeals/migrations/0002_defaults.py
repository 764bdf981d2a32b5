from django.db import migrations

# (name, kind, deadline in working days, checklist). Agency checklists follow the papers the
# bureaus ask for: identity, discharge papers, and the evidence the assessment rests on.
DEFAULT_CATEGORIES = [
    ("政策咨询", "question", 5, ""),
    ("优抚待遇", "question", 10, ""),
    ("生活困难", "hardship", 10, ""),
    ("就业创业", "request", 15, ""),
    ("医疗保障", "request", 15, ""),
    ("住房问题", "request", 20, ""),
    ("矛盾纠纷", "dispute", 30, ""),
    ("伤残评定代办", "agency", 60, "身份证复印件\n退役证件复印件\n伤残评定申请表\n致残经过证明\n医疗诊断证明及病历"),
    (
        "带病回乡认定代办",
        "agency",
        60,
        "身份证复印件\n退役证件复印件\n带病回乡认定申请表\n退役时的疾病诊断证明\n原部队证明材料",
    ),
    (
        "参战参试身份认定代办",
        "agency",
        60,
        "身份证复印件\n退役证件复印件\n参战参试身份认定申请表\n档案中参战参试记载或证明",
    ),
]


def create_defaults(apps, schema_editor):
    from grids.roles import sync_role_permissions

    category = apps.get_model("appeals", "AppealCategory")
    for name, kind, days, checklist in DEFAULT_CATEGORIES:
        category.objects.get_or_create(
            name=name, defaults={"kind": kind, "deadline_days": days, "checklist": checklist}
        )
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = crontab.objects.get_or_create(
        minute="10", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic.objects.get_or_create(
        name="诉求到期与超期提醒", defaults={"task": "appeals.tasks.remind_appeals", "crontab": morning}
    )
    sync_role_permissions(apps, "appeals")


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("grids", "0004_grid_roles_view_grid"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
