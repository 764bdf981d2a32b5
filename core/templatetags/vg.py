"""Template filters for Chinese formats: ¥ amounts and masked personal numbers (the rules live
in core.money and core.masking; these only register them for templates)."""

import datetime

from django import template
from django.utils import timezone

from core.masking import mask_id_number, mask_phone
from core.money import rmb_upper, yuan
from core.print_links import print_links_for

register = template.Library()
register.filter("yuan", yuan)
register.filter("rmb_upper", rmb_upper)


@register.filter(name="mask_phone")
def mask_phone_filter(value) -> str:
    return mask_phone(str(value or ""))


@register.filter(name="mask_id")
def mask_id_filter(value) -> str:
    return mask_id_number(str(value or ""))


@register.filter
def days_since(value) -> int | str:
    """Whole days from a date to today (local time), for "waiting N days" columns."""
    if not isinstance(value, datetime.date):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return (timezone.localdate() - value).days


@register.simple_tag(takes_context=True)
def print_links(context, model: str, obj=None) -> list[tuple[str, str]]:
    """The PDFs other apps offer for this page (core.print_links): `{% print_links "app.model" obj as links %}`."""
    return print_links_for(context["request"].user, model, obj)
