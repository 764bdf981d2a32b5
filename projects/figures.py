"""The dashboard's section 服务项目（1555）: coverage, open needs, and the station performance
review (绩效考核) — timeliness and satisfaction — counted per child area through the user's scope,
each number linked to the list of exactly its rows. Registered by ProjectsConfig.ready()."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.board_figures import Figure, FigureSource, area_list_url, in_area
from grids.scoping import scope_queryset
from projects.models import ServiceDelivery, ServiceNeed
from projects.selectors import SATISFIED_FROM, in_time_q, open_need_q, served_in_year_q
from veterans.models import LifeStatus


def _grouped(queryset, group: str, put, counts: dict) -> None:
    for row in queryset.order_by().values(group).annotate(**counts):
        for name in counts:
            put(row[group], name, row[name])


def people_figures(today: datetime.date, *, hashed: bool) -> dict[str, Q]:
    """Counted by the board over the living people of the area (core.board_figures `people`)."""
    return {"served_people": served_in_year_q(today.year, hashed=hashed)}


def count_project_figures(*, user, level: str, area_id: int, group: str, today: datetime.date, put) -> None:
    """One grouped query per kind of row: needs, deliveries with their ratings (the people served
    are counted with the board's people)."""
    area = in_area(level, area_id)
    needs = scope_queryset(user, ServiceNeed.objects.filter(open_need_q())).filter(**area)
    _grouped(needs, group, put, {"service_needs_open": Count("id")})
    # Ratings live in their delivery's grid: one query over the deliveries counts both.
    deliveries = scope_queryset(user, ServiceDelivery.objects.all()).filter(**area)
    this_year = Q(delivered_on__year=today.year)
    rated = Q(evaluation__evaluated_on__year=today.year)
    counts = {
        "projects_delivered_year": Count("id", filter=this_year),
        "projects_in_time_year": Count("id", filter=this_year & in_time_q()),
        "evaluations_year": Count("evaluation", filter=rated),
        "satisfied_year": Count("evaluation", filter=rated & Q(evaluation__satisfaction__gte=SATISFIED_FROM)),
    }
    _grouped(deliveries, group, put, counts)


def _served(area, today):
    changelist = "admin:projects_servedperson_changelist"
    return area_list_url(changelist, area, served_year=today.year, life_status__exact=LifeStatus.ALIVE)


def _open_needs(area, today):
    return area_list_url("admin:projects_serviceneed_changelist", area, state="open")


def _deliveries(area, today, **filters):
    return area_list_url("admin:projects_servicedelivery_changelist", area, delivered_on__year=today.year, **filters)


def _ratings(area, today, **filters):
    return area_list_url("admin:projects_serviceevaluation_changelist", area, evaluated_on__year=today.year, **filters)


SOURCE = FigureSource(
    key="projects",
    title=_("服务项目（1555）"),
    figures=(
        Figure("served_people", _("本年服务对象（人）"), link=_served),
        Figure("service_coverage_rate", _("服务覆盖率"), rate_of=("served_people", "veterans")),
        Figure("service_needs_open", _("未交付的服务需求"), link=_open_needs),
        Figure("projects_delivered_year", _("本年交付服务（人次）"), link=_deliveries),
        Figure(
            "projects_in_time_year", _("其中按时交付"), link=lambda area, today: _deliveries(area, today, in_time="yes")
        ),
        Figure("projects_in_time_rate", _("按时交付率"), rate_of=("projects_in_time_year", "projects_delivered_year")),
        Figure("evaluations_year", _("本年服务评价"), link=_ratings),
        Figure(
            "satisfied_year",
            _("其中满意（4分及以上）"),
            link=lambda area, today: _ratings(area, today, satisfied="yes"),
        ),
        Figure("satisfaction_rate", _("满意率"), rate_of=("satisfied_year", "evaluations_year")),
    ),
    count=count_project_figures,
    order=20,
    queries=2,
    people=people_figures,
)
