from decimal import Decimal

from django.conf import settings

from core.numbers import exact_median, percent_of, ratio


def test_shares_are_exact_decimals_rounded_half_up():
    assert percent_of(1, 3) == Decimal("33.3")
    assert percent_of(2, 3) == Decimal("66.7")
    assert ratio(9, 4) == Decimal("2.3")  # 2.25 rounds up, as people round (a float rounds it to 2.2)
    assert percent_of(5, 0) is None


def test_the_median_of_an_even_count_is_the_exact_middle():
    assert exact_median([5, 3]) == Decimal("4")
    assert exact_median([1, 2, 4]) == Decimal("2")
    assert exact_median([1, 2]) == Decimal("1.5")
    assert exact_median([]) is None


def test_every_money_column_has_one_precision():
    """Amounts are added up across tables (a case paid from a fund, a day's payments in a
    snapshot): one precision everywhere, so no sum is refused by a narrower column."""
    from django.apps import apps
    from django.db.models import DecimalField

    from core.numbers import MONEY

    ours = [c for c in apps.get_app_configs() if c.path.startswith(str(settings.BASE_DIR)) and ".venv" not in c.path]
    precisions = {
        f"{model._meta.label}.{field.name}": (field.max_digits, field.decimal_places)
        for config in ours
        for model in config.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, DecimalField)
    }
    # Decimals that are no amounts: positions in degrees (a visit's, a home's, a boundary's box).
    not_money = {
        "visits.Visit.latitude", "visits.Visit.longitude", "maps.HomePosition.latitude", "maps.HomePosition.longitude",
        "maps.AreaBoundary.min_lon", "maps.AreaBoundary.min_lat", "maps.AreaBoundary.max_lon",
        "maps.AreaBoundary.max_lat",
    }  # fmt: skip
    assert len(precisions) >= 15
    assert {
        name
        for name, digits in precisions.items()
        if digits != (MONEY["max_digits"], MONEY["decimal_places"]) and name not in not_money
    } == set()
