from decimal import Decimal

from django.db import migrations

# name: (min, max per case, yearly cap per household, special-hardship ceiling, station approval limit)
DEFAULTS = {
    "大病医疗救助": ("500", "10000", "10000", "20000", "2000"),
    "临时困难补助": ("200", "5000", "5000", "10000", "2000"),
    "家庭重大变故救助": ("500", "5000", "5000", "10000", "2000"),
    "慈善救助": ("100", "5000", "5000", "10000", "2000"),
    "子女助学": ("500", "5000", "5000", "10000", "2000"),
    "关爱基金发放": ("100", "3000", "5000", "10000", "1000"),
}


def create(apps, schema_editor):
    case_type = apps.get_model("assistance", "CaseType")
    for name, values in DEFAULTS.items():
        low, high, cap, special, station = (Decimal(v) for v in values)
        case_type.objects.get_or_create(
            name=name,
            defaults={
                "min_amount": low,
                "max_amount": high,
                "yearly_cap": cap,
                "special_ceiling": special,
                "station_limit": station,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("assistance", "0003_role_permissions")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
