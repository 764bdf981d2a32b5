"""The board's 就业创业 section (core.board_figures): people seeking work, placed this year, and
self-employed, counted per child area in one scoped query; each linked to the registry's admin
list filtered to exactly those lines."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.board_figures import Figure, FigureSource, area_list_url, in_area
from employment.models import EmploymentStatus
from employment.selectors import live_q, placed_in_year_q, profiles_for

CHANGELIST = "admin:employment_employmentprofile_changelist"


def _count(*, user, level, area_id, group, today, put):
    profiles = profiles_for(user=user).filter(live_q(), **in_area(level, area_id))
    rows = (
        profiles.order_by()
        .values(group)
        .annotate(
            seeking=Count("id", filter=Q(status=EmploymentStatus.SEEKING)),
            placed=Count("id", filter=placed_in_year_q(today.year)),
            entrepreneurs=Count("id", filter=Q(status=EmploymentStatus.SELF_EMPLOYED)),
        )
    )
    for row in rows:
        put(row[group], "employment_seeking", row["seeking"])
        put(row[group], "employment_placed_year", row["placed"])
        put(row[group], "employment_entrepreneurs", row["entrepreneurs"])


def _seeking(area, today):
    return area_list_url(CHANGELIST, area, status__exact=EmploymentStatus.SEEKING, live="1")


def _placed(area, today):
    return area_list_url(CHANGELIST, area, placed_in=today.year, live="1")


def _entrepreneurs(area, today):
    return area_list_url(CHANGELIST, area, status__exact=EmploymentStatus.SELF_EMPLOYED, live="1")


SOURCE = FigureSource(
    key="employment",
    title=_("就业创业"),
    figures=(
        Figure("employment_seeking", _("求职中"), link=_seeking),
        Figure("employment_placed_year", _("今年实现就业"), link=_placed),
        Figure("employment_entrepreneurs", _("自主创业"), link=_entrepreneurs),
    ),
    count=_count,
    order=110,
)
