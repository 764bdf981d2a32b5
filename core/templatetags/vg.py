"""Template filters for Chinese formats: ¥ amounts and masked personal numbers."""

from decimal import Decimal, InvalidOperation

from django import template

from veterans.identity import mask_id_number, mask_phone

register = template.Library()


@register.filter
def yuan(value) -> str:
    """¥1,234.50 — amounts are Decimals; never formatted through float."""
    try:
        amount = Decimal(value or 0).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter(name="mask_phone")
def mask_phone_filter(value) -> str:
    return mask_phone(str(value or ""))


@register.filter(name="mask_id")
def mask_id_filter(value) -> str:
    return mask_id_number(str(value or ""))
