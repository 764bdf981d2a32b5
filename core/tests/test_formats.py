from decimal import Decimal

from core.money import yuan
from core.templatetags.vg import mask_phone_filter


def test_yuan_formats_decimals_with_thousands():
    assert yuan(Decimal("8400")) == "¥8,400.00"
    assert yuan(Decimal("1234567.5")) == "¥1,234,567.50"
    assert yuan(Decimal("-3.456")) == "-¥3.46"
    assert yuan(None) == "¥0.00"


def test_mask_phone_filter():
    assert mask_phone_filter("13812345678") == "138****5678"
