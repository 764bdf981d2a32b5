"""Reads for visits and the mobile pages, always scoped first."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from grids.scoping import scope_queryset
from veterans.models import LifeStatus, PriorityCategory, Veteran
from veterans.rules import KeyGroup, key_group_q
from veterans.selectors import percent, search_veterans
from visits.models import Campaign, CampaignTarget, GridActivity, MustVisitEvent, Notification, Visit, VisitMethod


def campaign_covers(campaign: Campaign, veteran: Veteran) -> bool:
    if campaign.community_id:
        return veteran.community_id == campaign.community_id
    if campaign.street_id:
        return veteran.street_id == campaign.street_id
    return veteran.district_id == campaign.district_id


def due_list(*, user, search: str = "") -> QuerySet[Veteran]:
    """The user's veterans, open must-visit events first, then by due date (most overdue first)."""
    queryset = scope_queryset(user, Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE))
    queryset = search_veterans(queryset, search) if search else queryset
    if search and not search.isdigit():
        queryset = queryset | scope_queryset(
            user,
            Veteran.objects.filter(
                removed_at__isnull=True, life_status=LifeStatus.ALIVE, residence_address__contains=search
            ),
        )
    return queryset.select_related("grid").order_by(
        F("event_due_on").asc(nulls_last=True), F("visit_due_on").asc(nulls_last=True), "id"
    )


def due_counts(*, user, today: datetime.date) -> dict[str, int]:
    queryset = scope_queryset(user, Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE))
    overdue = Q(visit_due_on__lt=today) | Q(event_due_on__lt=today)
    due_today = (Q(visit_due_on=today) | Q(event_due_on=today)) & ~overdue
    return queryset.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=overdue),
        due_today=Count("id", filter=due_today),
        events=Count("id", filter=Q(event_due_on__isnull=False)),
    )


def overdue_by_grid(*, user, today: datetime.date, limit: int = 5) -> tuple[int, list[dict]]:
    """Living people overdue for a visit in the user's area, and the `limit` grids with the most
    of them (most first): two queries, the second one GROUP BY over the same rows."""
    overdue = scope_queryset(
        user, Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE)
    ).filter(overdue_q(today))
    worst = (
        overdue.values("grid_id", "grid__name", "grid__community__name")
        .annotate(overdue=Count("id"))
        .order_by("-overdue", "grid__name", "grid_id")[:limit]
    )
    return overdue.count(), list(worst)


def open_event_counts(*, user, today: datetime.date) -> dict[str, int]:
    """Must-visit events not yet answered by a visit, and those of them past their date."""
    return scope_queryset(user, MustVisitEvent.objects.filter(resolved_at__isnull=True)).aggregate(
        open=Count("id"), late=Count("id", filter=Q(due_by__lt=today))
    )


def team_users(*, user):
    """Active grid leaders and workers of the user's grids: who can go along on a visit."""
    from django.contrib.auth import get_user_model

    from grids.selectors import grid_team

    return (
        get_user_model()
        .objects.filter(pk__in=grid_team(user=user).values("user_id"), is_active=True)
        .order_by("first_name", "username")
    )


def visits_for(*, user) -> QuerySet[Visit]:
    return scope_queryset(user, Visit.objects.all()).select_related("veteran", "grid", "recorded_by", "campaign")


def recent_visits(*, user, veteran: Veteran, limit: int = 5) -> list[Visit]:
    return list(visits_for(user=user).filter(veteran=veteran).order_by("-visited_at")[:limit])


def open_events(*, user, veteran: Veteran) -> list[MustVisitEvent]:
    return list(
        scope_queryset(user, MustVisitEvent.objects.filter(veteran=veteran, resolved_at__isnull=True)).order_by(
            "due_by"
        )
    )


def open_follow_ups(*, user, veteran: Veteran) -> list[Visit]:
    """Visits that asked for a follow-up not yet made (no later visit)."""
    last = veteran.last_visit_on
    queryset = visits_for(user=user).filter(veteran=veteran, follow_up_needed=True)
    if last:
        queryset = queryset.filter(visited_at__date__gte=last)
    return list(queryset.order_by("follow_up_by")[:5])


@dataclass(frozen=True)
class VisitPosition:
    latitude: Decimal
    longitude: Decimal
    accuracy: int | None  # metres, as the phone reported it
    visited_at: datetime.datetime
    visit_id: int


def last_visit_position(veteran: Veteran) -> VisitPosition | None:
    """Where the latest home visit (入户走访) that recorded its position took place: the best
    guess of where the person lives. Visits by phone, WeChat or at the station are left out, since
    their position is the worker's, not the home's. The caller has the veteran from a scoped read."""
    row = (
        Visit.objects.filter(veteran=veteran, method=VisitMethod.HOME, latitude__isnull=False)
        .order_by("-visited_at", "-id")
        .values_list("latitude", "longitude", "location_accuracy", "visited_at", "id")
        .first()
    )
    return VisitPosition(*row) if row else None


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def campaigns_for(*, user) -> QuerySet[Campaign]:
    return scope_queryset(user, Campaign.objects.all())


def active_campaigns_for_veteran(*, veteran: Veteran, day: datetime.date) -> QuerySet[Campaign]:
    area = Q(community=veteran.community_id) | Q(community__isnull=True, street=veteran.street_id)
    area |= Q(community__isnull=True, street__isnull=True, district=veteran.district_id)
    return Campaign.objects.filter(area, starts_on__lte=day, ends_on__gte=day)


def campaign_targets(campaign: Campaign) -> QuerySet[Veteran]:
    """The veterans a campaign is meant to reach."""
    queryset = Veteran.objects.filter(
        removed_at__isnull=True, life_status=LifeStatus.ALIVE, district=campaign.district_id
    )
    if campaign.street_id:
        queryset = queryset.filter(street=campaign.street_id)
    if campaign.community_id:
        queryset = queryset.filter(community=campaign.community_id)
    today = timezone.localdate()
    target_filters = {
        CampaignTarget.ALL: Q(),
        CampaignTarget.PRIORITY_CARE: Q(priority_care__isnull=False),
        CampaignTarget.AGE_80_PLUS: key_group_q(KeyGroup.AGE_80_PLUS, today),
        CampaignTarget.HARDSHIP: Q(minimum_living_allowance=True) | Q(extreme_poverty=True) | Q(registered_poor=True),
        CampaignTarget.KOREAN_WAR: Q(priority_care__category=PriorityCategory.KOREAN_WAR),
        CampaignTarget.DISABLED: Q(priority_care__category=PriorityCategory.DISABLED),
    }
    return queryset.filter(target_filters[campaign.target]).distinct()


def campaign_coverage(campaign: Campaign) -> dict:
    targets = campaign_targets(campaign)
    visits = Visit.objects.filter(campaign=campaign)
    totals = visits.aggregate(money=Sum("money"), goods=Sum("goods_value"))
    targeted = targets.count()
    visited = targets.filter(visits__campaign=campaign).distinct().count()
    return {
        "targeted": targeted,
        "visited": visited,
        "share": percent(visited, targeted),
        "money": totals["money"] or 0,
        "goods_value": totals["goods"] or 0,
        "visits": visits.count(),
    }


def activities_for(*, user, start: datetime.date, end: datetime.date) -> QuerySet[GridActivity]:
    return (
        scope_queryset(user, GridActivity.objects.filter(held_on__gte=start, held_on__lte=end))
        .select_related("grid", "recorded_by")
        .order_by("-held_on", "-id")
    )


def overdue_q(today: datetime.date) -> Q:
    """Veterans past their visit due date, or with a must-visit event past its date."""
    return Q(visit_due_on__lt=today) | Q(event_due_on__lt=today)


def covered_q(today: datetime.date) -> Q:
    """Veterans visited within their interval: a due date still ahead and nothing overdue."""
    return Q(visit_due_on__gte=today) & ~overdue_q(today)
