"""评选表彰与喜报 on the leaders' board (core.board_figures): merit notices waiting for delivery,
those delivered this year, and the people selected in a round this year (counted per nomination,
so a person honoured twice counts twice: 人次). Each is linked to the list of exactly its rows."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, IntegerField, Value
from django.utils.translation import gettext_lazy as _

from core.board_figures import Figure, FigureSource, area_list_url, in_area
from honours.selectors import (
    delivered_in_year_q,
    merit_notices_for,
    nominations_for,
    selected_in_year_q,
    waiting_q,
)

COLUMNS = {
    "waiting": "merit_notices_waiting",
    "delivered": "merit_notices_delivered_year",
    "honoured": "honoured_year",
}
NOTICES = "admin:honours_meritnotice_changelist"
NOMINATIONS = "admin:honours_nomination_changelist"


def _year_bounds(today: datetime.date) -> tuple[str, str]:
    return datetime.date(today.year, 1, 1).isoformat(), datetime.date(today.year, 12, 31).isoformat()


def _waiting_list(area, today):
    return area_list_url(NOTICES, area, delivery="waiting")


def _delivered_list(area, today):
    first, last = _year_bounds(today)
    return area_list_url(NOTICES, area, delivered_on__gte=first, delivered_on__lte=last)


def _honoured_list(area, today):
    first, last = _year_bounds(today)
    return area_list_url(NOMINATIONS, area, status__exact="selected", decided_on__gte=first, decided_on__lte=last)


def count_honours(*, user, level, area_id, group, today, put) -> None:
    """One query: the notices' counts and the selections' count per area, as a UNION of the two
    grouped counts (an area absent from one side gets its zeros from the other)."""
    area = in_area(level, area_id)
    zero = Value(0, output_field=IntegerField())
    notices = (
        merit_notices_for(user=user)
        .filter(**area)
        .order_by()
        .values(group)
        .annotate(
            waiting=Count("pk", filter=waiting_q()),
            delivered=Count("pk", filter=delivered_in_year_q(today.year)),
            honoured=zero,
        )
    )
    honoured = (
        nominations_for(user=user)
        .filter(selected_in_year_q(today.year), **area)
        .order_by()
        .values(group)
        .annotate(waiting=zero, delivered=zero, honoured=Count("pk"))
    )
    totals: dict[int, Counter] = defaultdict(Counter)
    for row in notices.union(honoured, all=True):
        totals[row[group]].update({name: row[column] for column, name in COLUMNS.items()})
    for area_key, counted in totals.items():
        for name in COLUMNS.values():
            put(area_key, name, counted[name])


SOURCE = FigureSource(
    key="honours",
    title=_("评选表彰与喜报"),
    figures=(
        Figure("merit_notices_waiting", _("喜报待送达"), link=_waiting_list),
        Figure("merit_notices_delivered_year", _("本年送达喜报"), link=_delivered_list),
        Figure("honoured_year", _("本年获评表彰（人次）"), link=_honoured_list),
    ),
    count=count_honours,
    order=70,
)
