"""{% client_id_input %}: the hidden client_id a phone form carries (replays.replay)."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def client_id_input(context) -> str:
    """Fixed when the form is served; a form served again after a refusal keeps its number."""
    request = context.get("request")
    posted = request.POST.get("client_id", "") if request is not None else ""
    try:
        value = uuid.UUID(posted)
    except ValueError:
        value = uuid.uuid4()
    return format_html('<input type="hidden" name="client_id" value="{}">', value)
