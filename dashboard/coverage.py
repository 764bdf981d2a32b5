"""Pinghu's "5 full coverages" (五个全覆盖): filing, visits, glory plaques, pairing and services,
each as the share of the living people on file that it reaches, per child area.

The numerators are counted elsewhere (the board's own figures; `paired_people` by the pairing
app, `served_people` by the service projects app), so this section counts nothing itself."""

from django.utils.translation import gettext_lazy as _

from core.board_figures import Figure, FigureSource


def _nothing_to_count(**_kwargs) -> None:
    """Every figure of the section is a rate of figures counted elsewhere."""


COVERAGE = FigureSource(
    key="coverage",
    title=_("五个全覆盖"),
    figures=(
        Figure("coverage_filing", _("建档（档案完整）"), rate_of=("complete", "veterans")),
        Figure("coverage_visits", _("走访（按期）"), rate_of=("covered", "veterans")),
        Figure("coverage_plaques", _("光荣牌"), rate_of=("plaques", "veterans")),
        Figure("coverage_pairing", _("结对"), rate_of=("paired_people", "veterans")),
        Figure("coverage_services", _("服务（今年）"), rate_of=("served_people", "veterans")),
    ),
    count=_nothing_to_count,
    order=10,
    queries=0,
)
