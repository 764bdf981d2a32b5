"""Reads of party organisations, members and follow-ups, always inside the user's scope first."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from core.board_figures import having_rows
from grids.models import Role
from grids.scoping import scope_queryset
from party.models import (
    Attendance,
    AttendanceStatus,
    FollowUp,
    FollowUpStatus,
    Membership,
    OrganisationLife,
    PartyMember,
    PartyOrganisation,
)
from veterans.models import LifeStatus, PartyRelation

OVERDUE_DAYS = 30  # a follow-up still open after this many days is overdue


def open_q() -> Q:
    return Q(status=FollowUpStatus.OPEN)


def overdue_q(today: datetime.date) -> Q:
    return open_q() & Q(opened_on__lt=today - datetime.timedelta(days=OVERDUE_DAYS))


def closed_in_year_q(year: int) -> Q:
    return Q(status=FollowUpStatus.CLOSED, closed_on__year=year)


def present_in_year_q(year: int) -> Q:
    return Q(status=AttendanceStatus.PRESENT, life__held_on__year=year)


def live_members_q() -> Q:
    return Q(is_party_member=True, removed_at__isnull=True, life_status=LifeStatus.ALIVE)


def outside_q(*, hashed: bool = False) -> Q:
    """Pocket and mobile members (alive, file open) with no organisation: 尚未纳入组织管理.
    `hashed`: the same rows through an uncorrelated NOT IN (memberships hashed once), for counts
    over a whole city, where a correlated NOT EXISTS would run once per member."""
    no_membership = ~having_rows(Membership.objects.filter(left_on__isnull=True), "person", hashed=hashed)
    return live_members_q() & Q(party_relation__in=[PartyRelation.POCKET, PartyRelation.MOBILE]) & no_membership


def organisations_for(*, user) -> QuerySet[PartyOrganisation]:
    return scope_queryset(user, PartyOrganisation.objects.all())


def organisation_list_for(*, user) -> QuerySet[PartyOrganisation]:
    """With the number of current members of each."""
    return (
        organisations_for(user=user)
        .select_related("parent", "district", "street", "community", "grid")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
    )


def memberships_for(*, user) -> QuerySet[Membership]:
    return scope_queryset(user, Membership.objects.select_related("person", "organisation"))


def members_for(*, user) -> QuerySet[PartyMember]:
    """Party members (alive, file open), each with the organisation they are under now."""
    current = Membership.objects.filter(person=OuterRef("pk"), left_on__isnull=True)
    return (
        scope_queryset(user, PartyMember.objects.filter(live_members_q()))
        .select_related("street", "community", "grid")
        .annotate(
            organisation_name=current.values("organisation__name")[:1],
            followed_up=Exists(FollowUp.objects.filter(open_q(), person=OuterRef("pk"))),
        )
    )


def followups_for(*, user) -> QuerySet[FollowUp]:
    return scope_queryset(user, FollowUp.objects.all())


def followup_list_for(*, user) -> QuerySet[FollowUp]:
    return followups_for(user=user).select_related("person", "assigned_to", "community", "grid")


def followup_detail_for(*, user, pk: int) -> FollowUp | None:
    return (
        followup_list_for(user=user)
        .select_related("membership__organisation", "street")
        .prefetch_related("steps__recorded_by")
        .filter(pk=pk)
        .first()
    )


def open_followup_of(*, user, person_id: int) -> FollowUp | None:
    return followups_for(user=user).filter(open_q(), person_id=person_id).first()


def followup_counts(*, user, today: datetime.date) -> dict[str, int]:
    """The workbench's lines in one query: open ones assigned to the user, overdue ones."""
    return followups_for(user=user).aggregate(
        mine=Count("pk", filter=open_q() & Q(assigned_to_id=user.pk)),
        overdue=Count("pk", filter=overdue_q(today)),
    )


def life_for(*, user) -> QuerySet[OrganisationLife]:
    return scope_queryset(user, OrganisationLife.objects.select_related("organisation"))


def attendance_for(*, user) -> QuerySet[Attendance]:
    return scope_queryset(user, Attendance.objects.select_related("life__organisation", "person"))


def assignee_choices(*, user, follow_up: FollowUp):
    """Who may be named: station staff over the member's area and the grid's team, in the
    acting user's scope (the service checks again)."""
    people = scope_queryset(user, get_user_model().objects.filter(is_active=True, staff_profile__isnull=False))
    return (
        people.filter(Q(staff_profile__role=Role.STATION_STAFF) | Q(staff_profile__grids=follow_up.grid_id))
        .distinct()
        .order_by("first_name", "username")
    )


def organisation_choices(*, user, person) -> QuerySet[PartyOrganisation]:
    """Active organisations of the member's district the user may choose."""
    return organisations_for(user=user).filter(active=True, district_id=person.district_id).order_by("name")
