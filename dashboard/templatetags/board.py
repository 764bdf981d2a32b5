"""Links from a dashboard number to the list behind it (the scoped admin changelists)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from grids.models import AreaLevel

register = template.Library()

LISTS = {
    "veterans": "admin:veterans_veteran_changelist",
    "cases": "admin:assistance_hardshipcase_changelist",
    "appeals": "admin:appeals_appeal_changelist",
}


@register.simple_tag
def list_url(kind: str, area, **filters) -> str:
    """E.g. {% list_url "veterans" area plaque="hung" %} → /admin/veterans/veteran/?street=3&plaque=hung."""
    params = {} if area.level == AreaLevel.CITY else {area.level: area.pk}  # the city: every district
    params |= {key: value for key, value in filters.items() if value not in (None, "")}
    return f"{reverse(LISTS[kind])}?{urlencode(params)}"
