"""Writes of the receipts' lifetime: a receipt answers a resent form for as long as a phone may
hold an unsent one, then goes."""

import datetime

from django.utils import timezone

from grids.scoping import require_actor
from replays.models import SubmitReceipt

# Longer than any phone stays without signal with forms in its queue.
KEEP_DAYS = 90


def receipts_prune(*, acting_user, now: datetime.datetime | None = None) -> int:
    require_actor(acting_user)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    deleted, _rows = SubmitReceipt.objects.filter(received_at__lt=cutoff).delete()
    return deleted
