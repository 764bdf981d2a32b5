from decimal import Decimal

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
