"""Exact figures for ledgers and dashboards: shares, averages and medians as Decimal, rounded
half up to one place as people round (floats would show 83.30000000000001 or round 2.25 down)."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
# Every amount of money, in models, forms and serializers alike: fen exact, up to
# ¥999,999,999,999.99, room for a province's yearly totals.
MONEY = {"max_digits": 14, "decimal_places": 2}


def ratio(part, whole) -> Decimal | None:
    """part / whole to one decimal place; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def percent_of(part, whole) -> Decimal | None:
    return ratio(100 * part, whole)


def exact_median(values: Iterable[int]) -> Decimal | None:
    """The middle value, or the mean of the two middle ones (x.5), exactly."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2
