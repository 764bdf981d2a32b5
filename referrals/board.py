"""The board's section 志愿服务与转介 (core.board_figures): open referrals, those whose follow-up
date has passed, and those closed this year, per child area, each linked to its list.
Volunteers belong to the district's teams, not to an area below it, so they are not counted
per area here."""

import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.board_figures import Figure, FigureSource, area_list_url, in_area
from referrals.selectors import closed_in_year_q, open_q, overdue_q, referrals_for

CHANGELIST = "admin:referrals_referral_changelist"


def count_referrals(*, user, level: str, area_id: int, group: str, today: datetime.date, put) -> None:
    rows = referrals_for(user=user).filter(**in_area(level, area_id)).order_by().values(group)
    counted = rows.annotate(
        referrals_open=Count("pk", filter=open_q()),
        referrals_overdue=Count("pk", filter=overdue_q(today)),
        referrals_closed_year=Count("pk", filter=closed_in_year_q(today.year)),
    )
    for row in counted:
        for name in ("referrals_open", "referrals_overdue", "referrals_closed_year"):
            put(row[group], name, row[name])


def _link(stage: str):
    return lambda area, today: area_list_url(CHANGELIST, area, stage=stage)


SOURCE = FigureSource(
    key="referrals",
    title=_("志愿服务与转介"),
    figures=(
        Figure("referrals_open", _("转介未办结"), link=_link("open")),
        Figure("referrals_overdue", _("转介跟进逾期"), link=_link("overdue")),
        Figure("referrals_closed_year", _("本年转介办结"), link=_link("closed_year")),
    ),
    count=count_referrals,
    order=60,
)
