from decimal import Decimal

from django.db import migrations

# The self-employment money as kinds of help on the relief workflow (Pinghu: a one-off grant to
# self-employed discharged soldiers, interest subsidies on small guaranteed business loans).
# name: (min, max per case, yearly cap per household, special-hardship ceiling, station approval
# limit). Station limit ¥0: every grant goes to the bureau for approval.
CASE_TYPES = {
    "自主创业补贴": ("2000", "10000", "20000", "30000", "0"),
    "创业担保贷款贴息": ("100", "8000", "20000", "30000", "0"),
}


def create_defaults(apps, schema_editor):
    from grids.roles import sync_role_permissions

    case_type = apps.get_model("assistance", "CaseType")
    for name, values in CASE_TYPES.items():
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
    sync_role_permissions(apps, "employment")


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0001_initial"),
        ("assistance", "0011_fund_owner_area"),
        ("grids", "0007_staffprofile_phone_encrypted"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
