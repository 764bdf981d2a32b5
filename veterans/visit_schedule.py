"""Visit due dates on a veteran's record, by the rules of visits.

The record carries `visit_interval_days`, `visit_due_on` and `event_due_on`, but what fills them
(visit policies, must-visit events) belongs to visits, a floor above. visits registers its rules
here in its AppConfig.ready(), as it does for the card's buttons (visits.card_actions); veterans'
writes, import, demo builder and admin filter call these functions and never import visits.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class VisitRules:
    refresh: Callable[..., int]  # (queryset | None, *, today=None) -> rows written
    policy_intervals: Callable[[], dict[str, int]]
    interval_for: Callable[..., int]  # (*, birth_date, ..., intervals, today) -> days
    overdue_q: Callable[[datetime.date], Q]
    covered_q: Callable[[datetime.date], Q]


_registered: list[VisitRules] = []


def register_visit_rules(rules: VisitRules) -> None:
    _registered[:] = [rules]


def _rules() -> VisitRules:
    if not _registered:
        raise ImproperlyConfigured("visits is not installed: it computes veterans' visit due dates.")
    return _registered[0]


def refresh_visit_schedule(queryset: QuerySet | None = None, *, today: datetime.date | None = None) -> int:
    """Recompute interval, regular due date and event due date for the rows of `queryset`."""
    return _rules().refresh(queryset, today=today)


def policy_intervals() -> dict[str, int]:
    """The visit interval (days) of each policy group."""
    return _rules().policy_intervals()


def interval_for(**facts) -> int:
    """The shortest interval of the groups a record not yet in the database would be in."""
    return _rules().interval_for(**facts)


def overdue_q(today: datetime.date) -> Q:
    return _rules().overdue_q(today)


def covered_q(today: datetime.date) -> Q:
    return _rules().covered_q(today)
