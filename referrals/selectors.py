"""Reads of volunteers and referrals, always inside the user's scope first."""

import datetime
from decimal import Decimal

from django.db.models import Aggregate, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core.numbers import ratio
from grids.scoping import scope_queryset
from referrals.models import OPEN_STATUSES, Provider, Referral, ReferralNote, ReferralStatus, Volunteer, VolunteerTeam


def open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_q(today: datetime.date) -> Q:
    """Still open after its follow-up day."""
    return open_q() & Q(follow_up_on__lt=today)


def due_today_q(today: datetime.date) -> Q:
    return open_q() & Q(follow_up_on=today)


def waiting_q() -> Q:
    """Referred, and the provider has not answered yet."""
    return Q(status=ReferralStatus.REFERRED)


def closed_in_year_q(year: int) -> Q:
    return Q(status=ReferralStatus.CLOSED, closed_on__year=year)


def referrals_for(*, user) -> QuerySet[Referral]:
    return scope_queryset(user, Referral.objects.all())


def referral_list_for(*, user) -> QuerySet[Referral]:
    """What a list shows in one query: the person, the provider, the place and who referred."""
    return referrals_for(user=user).select_related("veteran", "provider", "grid", "community", "referred_by")


def referral_detail_for(*, user, pk: int) -> Referral | None:
    return referral_list_for(user=user).prefetch_related("notes__author").filter(pk=pk).first()


def notes_for(*, user) -> QuerySet[ReferralNote]:
    return scope_queryset(user, ReferralNote.objects.all())


def open_referrals_of(*, user, veteran) -> QuerySet[Referral]:
    """The person's open referrals (the phone card's to-dos), in one query."""
    return referrals_for(user=user).filter(open_q(), veteran=veteran).select_related("provider").order_by("id")


def todo_counts(*, user, today: datetime.date) -> dict[str, int]:
    """The workbench's numbers in one query."""
    return referrals_for(user=user).aggregate(
        overdue=Count("pk", filter=overdue_q(today)),
        due_today=Count("pk", filter=due_today_q(today)),
        waiting=Count("pk", filter=waiting_q()),
    )


def teams_for(*, user) -> QuerySet[VolunteerTeam]:
    return scope_queryset(user, VolunteerTeam.objects.all())


def volunteers_for(*, user) -> QuerySet[Volunteer]:
    return scope_queryset(user, Volunteer.objects.all()).select_related("team")


def providers_for(*, user) -> QuerySet[Provider]:
    return scope_queryset(user, Provider.objects.all())


def providers_for_person(*, user, veteran) -> QuerySet[Provider]:
    """The providers a referral of this person may go to: their district's active list."""
    return providers_for(user=user).filter(district_id=veteran.district_id, active=True).order_by("kind", "name")


def _scoped_total(user, condition: Q, aggregate: Aggregate):
    referrals = referrals_for(user=user).filter(condition, provider=OuterRef("pk")).order_by()
    totals = referrals.values("provider").annotate(n=aggregate).values("n")
    return Coalesce(Subquery(totals, output_field=IntegerField()), 0)


def _scoped_count(user, condition: Q):
    return _scoped_total(user, condition, Count("pk"))


def providers_with_figures(*, user) -> QuerySet[Provider]:
    """Providers of the user's scope with their figures: referrals received, accepted (ever),
    closed, and the days from referral to closing summed over the closed ones (their average is
    `average_days_to_close`). Only the referrals the user may see are counted, so a street's
    station sees what its own people were given."""
    accepted = Q(status__in=(ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.CLOSED))
    closed = Q(status=ReferralStatus.CLOSED)
    return providers_for(user=user).annotate(
        received=_scoped_count(user, Q()),
        accepted=_scoped_count(user, accepted),
        closed=_scoped_count(user, closed),
        days_to_close_total=_scoped_total(user, closed, Sum("days_to_close")),
    )


def average_days_to_close(provider: Provider) -> Decimal | None:
    """Average days from referral to closing of a provider of `providers_with_figures`, to one
    place rounded half up (the database's average is a float on SQLite); None before any is
    closed. Closing is the one step that sets the days, so every closed referral has them."""
    return ratio(provider.days_to_close_total, provider.closed)


def actions_for(user, referral: Referral) -> list[str]:
    """Which steps to offer this user now (the services still check every rule)."""
    can_change, can_note = user.has_perm("referrals.change_referral"), user.has_perm("referrals.add_referralnote")
    offered = []
    if referral.status == ReferralStatus.REFERRED and can_change:
        offered += ["accept", "decline"]
    if referral.is_open and can_note:
        offered.append("note")
    if referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS) and can_change:
        offered.append("close")
    if referral.is_open and can_change:
        offered.append("cancel")
    return offered
