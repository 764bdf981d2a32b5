"""The daily appeal reminder: whoever holds an appeal that is overdue or due within a day hears
of it in the inbox; stations hear of the overdue ones in their area. One message per person per
day (the notification's dedupe key), so a second run the same day sends nothing new."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from appeals.models import Appeal
from appeals.selectors import open_q
from grids.models import AreaLevel, Role, StaffProfile
from visits.models import Notification

ITEMS_PER_MESSAGE = 5


@dataclass
class Pile:
    overdue: int = 0
    due: int = 0
    items: list[str] = field(default_factory=list)

    def add(self, row: dict, day: datetime.date) -> None:
        late = (day - row["deadline"]).days
        if late > 0:
            self.overdue += 1
            label = _("%(name)s·%(subject)s（超期%(days)s天）") % {
                "name": row["veteran__name"],
                "subject": row["subject"],
                "days": late,
            }
        else:
            self.due += 1
            label = _("%(name)s·%(subject)s（%(date)s到期）") % {
                "name": row["veteran__name"],
                "subject": row["subject"],
                "date": row["deadline"].strftime("%m-%d"),
            }
        if len(self.items) < ITEMS_PER_MESSAGE:
            self.items.append(label)

    def text(self, lead: str) -> str:
        more = self.overdue + self.due - len(self.items)
        tail = _("等，共%(count)s件") % {"count": self.overdue + self.due} if more > 0 else ""
        return lead % {"overdue": self.overdue, "due": self.due} + "；".join(self.items) + tail


def _holders(grid_ids: set[int]) -> dict[int, list[int]]:
    """Grid id → the active grid workers and leaders of that grid."""
    links = StaffProfile.grids.through.objects.filter(
        grid_id__in=grid_ids,
        staffprofile__role__in=[Role.GRID_WORKER, Role.GRID_LEADER],
        staffprofile__user__is_active=True,
    ).values_list("grid_id", "staffprofile__user_id")
    result: dict[int, list[int]] = defaultdict(list)
    for grid_id, user_id in links:
        result[grid_id].append(user_id)
    return result


def _stations(street_ids: set[int]) -> list[StaffProfile]:
    return list(
        StaffProfile.objects.filter(role=Role.STATION_STAFF, user__is_active=True)
        .filter(
            Q(scope_level=AreaLevel.STREET, street_id__in=street_ids)
            | Q(scope_level=AreaLevel.COMMUNITY, street_id__in=street_ids)
        )
        .only("user_id", "scope_level", "street_id", "community_id")
    )


def remind_appeals(day: datetime.date) -> int:
    with override(settings.LANGUAGE_CODE):
        return _remind(day)


def _remind(day: datetime.date) -> int:
    rows = list(
        Appeal.objects.filter(open_q(), deadline__lte=day + datetime.timedelta(days=1))
        .order_by("deadline", "id")
        .values("id", "subject", "deadline", "handler_id", "grid_id", "street_id", "community_id", "veteran__name")
    )
    if not rows:
        return 0
    holders = _holders({row["grid_id"] for row in rows if row["handler_id"] is None})
    mine: dict[int, Pile] = defaultdict(Pile)
    for row in rows:
        for user_id in [row["handler_id"]] if row["handler_id"] else holders.get(row["grid_id"], []):
            mine[user_id].add(row, day)
    overdue_rows = [row for row in rows if row["deadline"] < day]
    escalated: dict[int, Pile] = defaultdict(Pile)
    for station in _stations({row["street_id"] for row in overdue_rows}):
        key = "street_id" if station.scope_level == AreaLevel.STREET else "community_id"
        for row in overdue_rows:
            if row[key] == getattr(station, key):
                escalated[station.user_id].add(row, day)
    notifications = [
        Notification(
            recipient_id=user_id,
            title=_("诉求办理提醒"),
            link=reverse("appeals_mobile:list"),
            body=pile.text(_("您经办的诉求中 %(overdue)s 件已超期、%(due)s 件即将到期：")),
            dedupe_key=f"appeals:{day.isoformat()}:{user_id}",
        )
        for user_id, pile in mine.items()
    ] + [
        Notification(
            recipient_id=user_id,
            title=_("辖区诉求超期情况"),
            link=reverse("appeals:list") + "?urgency=overdue",
            body=pile.text(_("辖区内 %(overdue)s 件诉求已超期未办结：")),
            dedupe_key=f"appeals-overdue:{day.isoformat()}:{user_id}",
        )
        for user_id, pile in escalated.items()
    ]
    with transaction.atomic():
        keys = [n.dedupe_key for n in notifications]
        already = set(Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        fresh = [n for n in notifications if n.dedupe_key not in already]
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)
