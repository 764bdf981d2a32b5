"""Reads of service projects, always inside the user's scope first."""

import datetime

from django.db.models import Count, Q, QuerySet

from core.board_figures import having_rows
from grids.scoping import scope_queryset
from projects.models import (
    DONE_STATUSES,
    ProjectStatus,
    ServedPerson,
    ServiceDelivery,
    ServiceEvaluation,
    ServiceItem,
    ServiceNeed,
    ServiceProject,
)
from veterans.models import Veteran

# 绩效考核: a service counts as timely when delivered within this many days of the person's need
# (or, for a person without a recorded need, of the project's approval).
IN_TIME_DAYS = 30
# A rating of this or more (of 5) counts as satisfied.
SATISFIED_FROM = 4

UNDONE_STATUSES = tuple(status for status in ProjectStatus.values if status not in DONE_STATUSES)


def open_need_q() -> Q:
    """Not yet answered by a delivered project."""
    return Q(project__isnull=True) | Q(project__status__in=UNDONE_STATUSES)


def unplanned_need_q() -> Q:
    """No live project holds it: never proposed, or its proposal was refused."""
    return Q(project__isnull=True) | Q(project__status=ProjectStatus.REJECTED)


def in_time_q() -> Q:
    return Q(days_taken__lte=IN_TIME_DAYS)


def active_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(active=True)


def needs_for(*, user) -> QuerySet[ServiceNeed]:
    return scope_queryset(user, ServiceNeed.objects.all())


def need_list_for(*, user) -> QuerySet[ServiceNeed]:
    return needs_for(user=user).select_related("person", "item", "project", "grid")


def projects_for(*, user) -> QuerySet[ServiceProject]:
    return scope_queryset(user, ServiceProject.objects.all())


def project_list_for(*, user) -> QuerySet[ServiceProject]:
    return projects_for(user=user).select_related("item", "proposer", "reviewer", "district", "street", "community")


def project_detail_for(*, user, pk: int) -> ServiceProject | None:
    return (
        project_list_for(user=user)
        .prefetch_related("people", "needs", "deliveries__person", "deliveries__evaluation")
        .filter(pk=pk)
        .first()
    )


def deliveries_for(*, user) -> QuerySet[ServiceDelivery]:
    return scope_queryset(user, ServiceDelivery.objects.all())


def evaluations_for(*, user) -> QuerySet[ServiceEvaluation]:
    return scope_queryset(user, ServiceEvaluation.objects.all())


def deliveries_awaiting_rating(*, user, person: Veteran) -> QuerySet[ServiceDelivery]:
    """The person's deliveries not yet rated, in the user's scope (the phone's rating form)."""
    return (
        deliveries_for(user=user)
        .filter(person=person, evaluation__isnull=True, project__status=ProjectStatus.DELIVERED)
        .select_related("project")
    )


def served_people_for(*, user) -> QuerySet[ServedPerson]:
    """Everyone who has had a service delivered, once each."""
    served = ServiceDelivery.objects.values("person_id")
    return scope_queryset(user, ServedPerson.objects.filter(pk__in=served))


def served_in_year_q(year: int, *, hashed: bool = True) -> Q:
    """Over Veteran rows: served in `year`. Not `hashed`: a look-up per person (EXISTS), cheaper
    than hashing the year's deliveries when the people counted are few."""
    return having_rows(ServiceDelivery.objects.filter(delivered_on__year=year), "person", hashed=hashed)


def todo_counts(*, user) -> dict[str, int]:
    """The workbench's three lines: needs no live project holds, proposals waiting for review,
    delivered projects not yet rated by everyone served."""
    needs = needs_for(user=user).aggregate(unplanned=Count("pk", filter=unplanned_need_q()))
    projects = projects_for(user=user).aggregate(
        waiting=Count("pk", filter=Q(status=ProjectStatus.PROPOSED)),
        unrated=Count("pk", filter=Q(status=ProjectStatus.DELIVERED)),
    )
    return needs | projects


def year_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
