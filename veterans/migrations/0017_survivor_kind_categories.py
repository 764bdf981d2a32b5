"""Files of survivors filed before the kind implied its category get the category (KIND_CATEGORY)."""

from django.db import migrations, models

# Frozen here: the migration must not change when the model's table does.
KIND_CATEGORY = {
    "martyr_survivor": "martyr_family",
    "died_on_duty_survivor": "died_on_duty_family",
    "died_of_illness_survivor": "died_of_illness_family",
}


def add_missing_categories(apps, schema_editor):
    Veteran = apps.get_model("veterans", "Veteran")
    PriorityCare = apps.get_model("veterans", "PriorityCare")
    for kind, category in KIND_CATEGORY.items():
        missing = Veteran.objects.filter(person_kind=kind).exclude(priority_care__category=category)
        PriorityCare.objects.bulk_create(
            PriorityCare(veteran_id=pk, category=category) for pk in missing.values_list("pk", flat=True).iterator()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("veterans", "0016_person_file_label"),
    ]

    operations = [
        migrations.AlterField(
            model_name="prioritycare",
            name="category",
            field=models.CharField(
                choices=[
                    ("disabled", "残疾军人"),
                    ("martyr_family", "烈士遗属"),
                    ("died_on_duty_family", "因公牺牲军人遗属"),
                    ("died_of_illness_family", "病故军人遗属"),
                    ("in_village_demobilised", "在乡复员军人"),
                    ("returned_ill", "带病回乡退伍军人"),
                    ("war_or_nuclear_test", "参战参试人员"),
                    ("korean_war", "抗美援朝老兵"),
                ],
                help_text="烈士遗属、因公牺牲军人遗属、病故军人遗属的档案自动带有与其人员类别相同的优抚类别",
                max_length=30,
                verbose_name="优抚类别",
            ),
        ),
        migrations.RunPython(add_missing_categories, migrations.RunPython.noop),
    ]
