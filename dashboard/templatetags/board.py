"""Links from a dashboard number to the list behind it (the scoped admin changelists)."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

from dashboard import links

register = template.Library()


@register.simple_tag
def list_url(kind: str, area, **filters) -> str:
    """E.g. {% list_url "fund_entries" None fund__id__exact=3 %}."""
    return links.list_url(kind, area, **filters)


@register.simple_tag(takes_context=True)
def figure_url(context, area, name: str) -> str:
    """{% figure_url area "overdue" %}: the list of exactly the rows the figure counts."""
    return links.figure_url(name, area, context["board"].today)


@register.simple_tag(takes_context=True)
def figure_link(context, area, figures, name: str, css: str = "", text=None):
    """The figure as a link to its list; `text` shows something else (a rate) for the same rows.
    data-count carries the number of rows the list must show."""
    value = links.figure_value(figures, name)
    url = links.figure_url(name, area, context["board"].today)
    shown = intcomma(value) if text is None else text
    if css:
        return format_html('<a class="{}" href="{}" data-count="{}">{}</a>', css, url, value, shown)
    return format_html('<a href="{}" data-count="{}">{}</a>', url, value, shown)


@register.simple_tag(takes_context=True)
def source_figure(context, area, figures, figure):
    """A help app's figure (core.board_figures): a link to its list, a rate shown in percent with
    its numerator's list behind it, or plain text when the figure has no list."""
    name = figure.name if figure.rate_of is None else figure.rate_of[0]
    text = None if figure.rate_of is None else percent(figures.rate(figure))
    if not links.figure_url(name, area, context["board"].today):
        return intcomma(figures.value(name)) if text is None else text
    return figure_link(context, area, figures, name, text=text)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value}%"
