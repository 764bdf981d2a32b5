"""The board's section 技能培训: people trained this year and people certified this year, counted
per child area (one row per person: their latest qualifying enrolment), each linked to the
enrolment list that shows exactly those rows."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.board_figures import Figure, FigureSource, area_list_url, in_area
from training.selectors import certified_in_year_q, enrolments_for, one_row_per_person, trained_in_year_q

ENROLMENT_LIST = "admin:training_enrolment_changelist"


def count_training(*, user, level, area_id, group, today, put) -> None:
    trained = Q(pk__in=one_row_per_person(trained_in_year_q(today.year)))
    certified = Q(pk__in=one_row_per_person(certified_in_year_q(today.year)))
    rows = (
        enrolments_for(user=user)
        .filter(**in_area(level, area_id))
        .filter(trained | certified)
        .order_by()
        .values(group)
        .annotate(trained=Count("id", filter=trained), certified=Count("id", filter=certified))
    )
    for row in rows:
        put(row[group], "training_enrolled_year", row["trained"])
        put(row[group], "training_certified_year", row["certified"])


def _trained_list(area, today) -> str:
    return area_list_url(ENROLMENT_LIST, area, trained_year=today.year)


def _certified_list(area, today) -> str:
    return area_list_url(ENROLMENT_LIST, area, certified_year=today.year)


SOURCE = FigureSource(
    key="training",
    title=_("技能培训"),
    figures=(
        Figure("training_enrolled_year", _("今年参训人数"), link=_trained_list),
        Figure("training_certified_year", _("今年取得证书人数"), link=_certified_list),
    ),
    count=count_training,
    order=60,
)
