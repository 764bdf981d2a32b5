"""The daily follow-up reminder: whoever made a referral whose follow-up day has come (or
passed) hears of it in the inbox, one message a day (the notification's dedupe key), as the
appeals' reminder does."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from referrals.models import Referral
from referrals.selectors import open_q
from visits.models import Notification

ITEMS_PER_MESSAGE = 5


def _item(row: dict, day: datetime.date) -> str:
    late = (day - row["follow_up_on"]).days
    if late > 0:
        return _("%(name)s→%(provider)s（逾期%(days)s天）") % {
            "name": row["veteran__name"],
            "provider": row["provider__name"],
            "days": late,
        }
    return _("%(name)s→%(provider)s（今日）") % {"name": row["veteran__name"], "provider": row["provider__name"]}


def remind_follow_ups(day: datetime.date) -> int:
    with override(settings.LANGUAGE_CODE):
        return _remind(day)


def _remind(day: datetime.date) -> int:
    rows = (
        Referral.objects.filter(open_q(), follow_up_on__lte=day, referred_by__is_active=True)
        .order_by("follow_up_on", "id")
        .values("id", "follow_up_on", "referred_by_id", "veteran__name", "provider__name")
    )
    piles: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        piles[row["referred_by_id"]].append(row)
    notifications = []
    for user_id, pile in piles.items():
        items = "；".join(_item(row, day) for row in pile[:ITEMS_PER_MESSAGE])
        more = _("等，共%(count)s件") % {"count": len(pile)} if len(pile) > ITEMS_PER_MESSAGE else ""
        notifications.append(
            Notification(
                recipient_id=user_id,
                title=_("转介跟进提醒"),
                link=reverse("referrals_mobile:detail", args=[pile[0]["id"]]),
                body=_("您转介的 %(count)s 件服务需要跟进：") % {"count": len(pile)} + items + more,
                dedupe_key=f"referrals:{day.isoformat()}:{user_id}",
            )
        )
    with transaction.atomic():
        keys = [n.dedupe_key for n in notifications]
        already = set(Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        fresh = [n for n in notifications if n.dedupe_key not in already]
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)
