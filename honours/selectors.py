"""Reads of honours, always inside the user's scope first."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from grids.scoping import scope_queryset
from honours.models import MeritNotice, Nomination, NominationStatus, Selection, SelectionStatus

URGENT_AFTER_DAYS = 15  # a notice still not delivered this long after it arrived is late


def nominating_open(selection: Selection, today: datetime.date | None = None) -> bool:
    """The round takes nominations: its status says so and its deadline has not passed."""
    today = today or timezone.localdate()
    return selection.status == SelectionStatus.NOMINATING and today <= selection.nomination_deadline


def selections_for(*, user) -> QuerySet[Selection]:
    return scope_queryset(user, Selection.objects.all()).select_related("district")


def open_selections_for(*, user, today: datetime.date | None = None) -> QuerySet[Selection]:
    today = today or timezone.localdate()
    return selections_for(user=user).filter(status=SelectionStatus.NOMINATING, nomination_deadline__gte=today)


def nominations_for(*, user) -> QuerySet[Nomination]:
    return scope_queryset(user, Nomination.objects.all())


def nomination_list_for(*, user) -> QuerySet[Nomination]:
    return nominations_for(user=user).select_related("selection", "veteran", "street", "community", "grid")


def selection_counts(*, user, selection_ids) -> dict[int, dict[str, int]]:
    """Per selection, the nominations the user may see: all, selected, undecided (one query)."""
    rows = (
        nominations_for(user=user)
        .filter(selection_id__in=list(selection_ids))
        .order_by()
        .values("selection_id")
        .annotate(
            total=Count("pk"),
            selected=Count("pk", filter=Q(status=NominationStatus.SELECTED)),
            undecided=Count("pk", filter=Q(status=NominationStatus.NOMINATED)),
        )
    )
    return {row.pop("selection_id"): row for row in rows}


def waiting_q() -> Q:
    return Q(delivered_on__isnull=True)


def urgent_q(today: datetime.date) -> Q:
    """Waiting more than URGENT_AFTER_DAYS days since the bureau received it."""
    return waiting_q() & Q(received_on__lt=today - datetime.timedelta(days=URGENT_AFTER_DAYS))


def delivered_in_year_q(year: int) -> Q:
    return Q(delivered_on__gte=datetime.date(year, 1, 1), delivered_on__lte=datetime.date(year, 12, 31))


def selected_in_year_q(year: int) -> Q:
    return Q(status=NominationStatus.SELECTED) & Q(
        decided_on__gte=datetime.date(year, 1, 1), decided_on__lte=datetime.date(year, 12, 31)
    )


def merit_notices_for(*, user) -> QuerySet[MeritNotice]:
    return scope_queryset(user, MeritNotice.objects.all())


def merit_notice_list_for(*, user) -> QuerySet[MeritNotice]:
    return merit_notices_for(user=user).select_related("family", "street", "community", "grid", "delivered_by")


def waiting_notices_of(*, user, family_id: int) -> QuerySet[MeritNotice]:
    """The notices still to hand to this person, oldest first."""
    return merit_notices_for(user=user).filter(waiting_q(), family_id=family_id).order_by("received_on", "id")


def notice_urgency_counts(*, user, today: datetime.date) -> dict[str, int]:
    return merit_notices_for(user=user).aggregate(
        waiting=Count("pk", filter=waiting_q()), urgent=Count("pk", filter=urgent_q(today))
    )
