"""Delivers core.notices into the inbox on /m/ (registered in VisitsConfig.ready)."""

from core.notices import Notice
from visits.models import Notification


def deliver_to_inbox(notices: list[Notice]) -> None:
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=n.recipient_id,
                title=n.title[:100],
                body=n.body,
                link=n.link[:200],
                dedupe_key=n.dedupe_key[:120],
            )
            for n in notices
        ],
        ignore_conflicts=True,  # dedupe_key is unique: a repeated notice arrives once
    )
