"""The dashboard's section 党员组织关系 (core.board_figures): pocket and mobile members still
outside any organisation, follow-ups open, members brought in this year and attendances of
organisation life this year. The members outside are counted with the board's own count of people
(`people`), the rest in one grouped, scoped query each; each figure links to the admin list that
filters by the same rule (party.admin_filters)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.board_figures import Figure, FigureSource, area_list_url, in_area
from grids.scoping import scope_queryset
from party.models import Attendance, FollowUp
from party.selectors import closed_in_year_q, open_q, outside_q, present_in_year_q


def people_figures(today, *, hashed: bool) -> dict[str, Q]:
    """Counted by the board over the living people of the area (core.board_figures `people`)."""
    return {"party_outside": outside_q(hashed=hashed)}


def count_party(*, user, level, area_id, group, today, put) -> None:
    follow_ups = scope_queryset(user, FollowUp.objects.filter(open_q() | closed_in_year_q(today.year)))
    counted = follow_ups.filter(**in_area(level, area_id)).order_by().values(group)
    for row in counted.annotate(open=Count("id", filter=open_q()), brought=Count("id", filter=~open_q())):
        put(row[group], "party_followups_open", row["open"])
        put(row[group], "party_brought_in_year", row["brought"])
    person_area = {f"person__{key}": value for key, value in in_area(level, area_id).items()}
    present = scope_queryset(user, Attendance.objects.filter(present_in_year_q(today.year))).filter(**person_area)
    for row in present.order_by().values(f"person__{group}").annotate(n=Count("id")):
        put(row[f"person__{group}"], "party_life_attendance_year", row["n"])


def _outside_list(area, today):
    return area_list_url("admin:party_partymember_changelist", area, outside="yes")


def _open_list(area, today):
    return area_list_url("admin:party_followup_changelist", area, status__exact="open")


def _brought_list(area, today):
    return area_list_url("admin:party_followup_changelist", area, closed_year=today.year)


def _attendance_list(area, today):
    return area_list_url("admin:party_attendance_changelist", area, present_year=today.year)


SOURCE = FigureSource(
    key="party",
    title=_("党员组织关系"),
    figures=(
        Figure("party_outside", _("口袋、流动党员未纳入组织"), link=_outside_list),
        Figure("party_followups_open", _("组织关系跟进中"), link=_open_list),
        Figure("party_brought_in_year", _("本年纳入组织管理"), link=_brought_list),
        Figure("party_life_attendance_year", _("本年组织生活出席人次"), link=_attendance_list),
    ),
    count=count_party,
    order=40,
    queries=2,
    people=people_figures,
)
