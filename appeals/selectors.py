"""Reads of appeals, always inside the user's scope first."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from appeals.models import OPEN_STATUSES, Appeal, AppealCategory, AppealNote
from core.workdays import add_working_days
from grids.scoping import scope_queryset

DUE_SOON_DAYS = 2
DUE_WORKING_DAYS = 3  # the workbench warns of appeals due within this many working days


def open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_q(today: datetime.date) -> Q:
    """Still open after its deadline day."""
    return open_q() & Q(deadline__lt=today)


def due_soon_q(today: datetime.date) -> Q:
    return open_q() & Q(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))


def due_within_working_days_q(today: datetime.date, working_days: int = DUE_WORKING_DAYS) -> Q:
    """Open, not yet late, and due by the end of the `working_days`-th working day from today
    (holidays and make-up weekends counted by core.workdays)."""
    last_day = add_working_days(today, working_days)
    return open_q() & Q(deadline__gte=today, deadline__lte=last_day)


def urgency_counts(*, user, today: datetime.date) -> dict[str, int]:
    """Late appeals and those due within DUE_WORKING_DAYS working days, in one query."""
    return appeals_for(user=user).aggregate(
        overdue=Count("pk", filter=overdue_q(today)),
        due_working_days=Count("pk", filter=due_within_working_days_q(today)),
    )


def appeals_for(*, user) -> QuerySet[Appeal]:
    return scope_queryset(user, Appeal.objects.all())


def appeal_list_for(*, user) -> QuerySet[Appeal]:
    """What a list shows in one query: the person, the place, the category and the handler."""
    return appeals_for(user=user).select_related("veteran", "category", "grid", "community", "handler")


def appeal_detail_for(*, user, pk: int) -> Appeal | None:
    return (
        appeal_list_for(user=user)
        .select_related("street", "opened_by", "visit")
        .prefetch_related("documents", "notes__author")
        .filter(pk=pk)
        .first()
    )


def notes_for(*, user) -> QuerySet[AppealNote]:
    return scope_queryset(user, AppealNote.objects.all())


def active_categories() -> QuerySet[AppealCategory]:
    return AppealCategory.objects.filter(active=True)


def annotate_urgency(appeals, today: datetime.date | None = None) -> list[Appeal]:
    """Mark each appeal of a page: overdue (days late) or due soon, for highlighting."""
    today = today or timezone.localdate()
    rows = list(appeals)
    for appeal in rows:
        appeal.days_late = (today - appeal.deadline).days if appeal.is_open and appeal.deadline < today else 0
        appeal.due_soon = appeal.is_open and not appeal.days_late and (appeal.deadline - today).days <= DUE_SOON_DAYS
    return rows


def actions_for(user, appeal: Appeal) -> list[str]:
    """Which steps to offer this user now (the services still check every rule)."""
    can_change, can_note = user.has_perm("appeals.change_appeal"), user.has_perm("appeals.add_appealnote")
    offered = []
    if appeal.is_open:
        offered += ["note"] if can_note else []
        offered += ["assign", "resolve", "cancel"] if can_change else []
        if user.has_perm("appeals.change_appealdocument") and any(
            d.received_on is None for d in appeal.documents.all()
        ):
            offered.append("documents")
    elif appeal.status == "resolved" and can_note:
        offered.append("feedback")
    return offered


def handler_choices(*, user, appeal: Appeal):
    """People who may take the appeal: station staff over its area and its grid's team, in the
    acting user's scope."""
    from django.contrib.auth import get_user_model

    from grids.models import Role

    people = scope_queryset(user, get_user_model().objects.filter(is_active=True, staff_profile__isnull=False))
    return (
        people.filter(Q(staff_profile__role=Role.STATION_STAFF) | Q(staff_profile__grids=appeal.grid_id))
        .distinct()
        .order_by("first_name", "username")
    )
