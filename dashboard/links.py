"""Where each dashboard number leads: the scoped list (an admin changelist) showing exactly the
rows the number counts, with the same conditions as dashboard.figures (tested: list length ==
number, for every link on the page)."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from core.board_figures import figure_named
from dashboard.figures import OPEN_CASES, case_late_before, midnight, week_start
from grids.models import AreaLevel
from veterans.models import LifeStatus
from veterans.rules import KeyGroup

LISTS = {
    "veterans": "admin:veterans_veteran_changelist",
    "visits": "admin:visits_visit_changelist",
    "cases": "admin:assistance_hardshipcase_changelist",
    "appeals": "admin:appeals_appeal_changelist",
    "wishes": "admin:wishes_microwish_changelist",
    "fund_entries": "admin:assistance_fundentry_changelist",
}

# The figures count living veterans only (removed files are hidden by the list's default).
ALIVE = {"life_status__exact": LifeStatus.ALIVE}


def _wish_statuses(done: bool) -> str:
    from wishes.models import DONE_STATUSES, LIVE_STATUSES

    return ",".join(DONE_STATUSES if done else LIVE_STATUSES)


def _year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year, 1, 1)


# figure name → (list, filters given today)
FIGURE_LINKS = {
    "veterans": ("veterans", lambda today: {}),
    "priority_total": ("veterans", lambda today: {"category": "any"}),
    "age_80_plus": ("veterans", lambda today: {"key_group": KeyGroup.AGE_80_PLUS}),
    "hardship": ("veterans", lambda today: {"key_group": KeyGroup.EXTREME_HARDSHIP}),
    "major_contribution": ("veterans", lambda today: {"key_group": KeyGroup.MAJOR_CONTRIBUTION}),
    "merit_awards": ("veterans", lambda today: {"key_group": KeyGroup.MERIT_AWARDS}),
    "party_members": ("veterans", lambda today: {"is_party_member__exact": "1"}),
    "party_pocket": ("veterans", lambda today: {"party_relation__exact": "pocket"}),
    "party_mobile": ("veterans", lambda today: {"party_relation__exact": "mobile"}),
    "complete": ("veterans", lambda today: {"completeness": "complete"}),
    "incomplete": ("veterans", lambda today: {"completeness": "incomplete"}),
    "covered": ("veterans", lambda today: {"visit": "covered"}),
    "overdue": ("veterans", lambda today: {"visit": "overdue"}),
    "plaques": ("veterans", lambda today: {"plaque": "hung"}),
    "visits_week": ("visits", lambda today: {"visited_at__gte": midnight(week_start(today))}),
    "visits_month": ("visits", lambda today: {"visited_at__gte": midnight(today.replace(day=1))}),
    "cases_open": ("cases", lambda today: {"status__in": ",".join(OPEN_CASES)}),
    "cases_overdue": (
        "cases",
        lambda today: {"status__in": ",".join(OPEN_CASES), "reported_on__lt": case_late_before(today)},
    ),
    "paid_cases": ("cases", lambda today: {"paid_at__gte": midnight(_year_start(today))}),
    "appeals_open": ("appeals", lambda today: {"urgency": "open"}),
    "appeals_overdue": ("appeals", lambda today: {"urgency": "overdue"}),
    "appeals_this_year": ("appeals", lambda today: {"received_on__gte": _year_start(today)}),
    "wishes": ("wishes", lambda today: {"status__in": _wish_statuses(done=False)}),
    "wishes_fulfilled": ("wishes", lambda today: {"status__in": _wish_statuses(done=True)}),
}


def list_url(kind: str, area, **filters) -> str:
    """E.g. list_url("veterans", street, plaque="hung") → /admin/veterans/veteran/?street=3&plaque=hung&…"""
    params = {} if area is None or area.level == AreaLevel.CITY else {area.level: area.pk}  # city: all
    if kind == "veterans":
        params |= ALIVE
    params |= {key: str(value) for key, value in filters.items() if value not in (None, "")}
    return f"{reverse(LISTS[kind])}?{urlencode(params)}"


def figure_url(name: str, area, today: datetime.date) -> str:
    """The list behind one figure of `area`: `kind:<person kind>`, `type:<veteran type>` and
    `priority:<category>` too."""
    if name.startswith("kind:"):
        return list_url("veterans", area, person_kind__exact=name.removeprefix("kind:"))
    if name.startswith("type:"):
        return list_url("veterans", area, veteran_type__exact=name.removeprefix("type:"))
    if name.startswith("priority:"):
        return list_url("veterans", area, category=name.removeprefix("priority:"))
    registered = figure_named(name)
    if registered is not None:
        return registered.link(area, today) if registered.link else ""
    kind, filters = FIGURE_LINKS[name]
    return list_url(kind, area, **filters(today))


def figure_value(figures, name: str) -> int:
    if name.startswith("kind:"):
        return figures.by_kind.get(name.removeprefix("kind:"), 0)
    if name.startswith("type:"):
        return figures.by_type.get(name.removeprefix("type:"), 0)
    if name.startswith("priority:"):
        return figures.by_priority.get(name.removeprefix("priority:"), 0)
    return figures.value(name)
