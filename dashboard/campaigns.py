"""节日慰问覆盖 on the dashboard: for the campaigns running now or just ended, how many of their
target group inside the viewed area have been visited under the campaign. One query per
campaign (targets and visited counted together), a handful of campaigns at most."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from core.numbers import percent_of
from dashboard.figures import in_area
from grids.models import AreaLevel
from grids.scoping import scope_queryset
from veterans.models import Veteran
from visits.models import Campaign, Visit
from visits.selectors import campaign_targets

RECENT_DAYS = 60
MAX_CAMPAIGNS = 4


@dataclass
class CampaignFigures:
    campaign: Campaign
    targeted: int
    visited: int

    @property
    def share(self) -> Decimal | None:
        return percent_of(self.visited, self.targeted)


def _touches(campaign: Campaign, area) -> bool:
    """Whether the campaign's area and the viewed area overlap."""
    if area.level in (AreaLevel.CITY, AreaLevel.DISTRICT):
        return True
    street_id = area.pk if area.level == AreaLevel.STREET else area.street_id
    if campaign.street_id not in (None, street_id):
        return False
    if campaign.community_id is None or area.level == AreaLevel.STREET:
        return True
    return campaign.community_id == (area.pk if area.level == AreaLevel.COMMUNITY else area.community_id)


def campaign_board(*, user, area, today: datetime.date) -> list[CampaignFigures]:
    recent = today - datetime.timedelta(days=RECENT_DAYS)
    campaigns = scope_queryset(user, Campaign.objects.all())
    if area.level != AreaLevel.CITY:
        campaigns = campaigns.filter(district_id=area.pk if area.level == AreaLevel.DISTRICT else area.district_id)
    campaigns = campaigns.filter(starts_on__lte=today, ends_on__gte=recent).order_by("-starts_on", "-id")
    rows = []
    for campaign in [c for c in campaigns[: MAX_CAMPAIGNS * 3] if _touches(c, area)][:MAX_CAMPAIGNS]:
        targets = scope_queryset(user, campaign_targets(campaign)).filter(**in_area(area.level, area.pk))
        # The target filter joins priority care (hence DISTINCT): count over the ids instead.
        people = Veteran.objects.filter(pk__in=targets.values("pk"))
        visited = Exists(Visit.objects.filter(campaign=campaign, veteran_id=OuterRef("pk")))
        counts = people.aggregate(targeted=Count("id"), visited=Count("id", filter=Q(visited)))
        rows.append(CampaignFigures(campaign=campaign, targeted=counts["targeted"], visited=counts["visited"]))
    return rows
