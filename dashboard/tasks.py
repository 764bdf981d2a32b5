from celery import shared_task
from django.utils import timezone

from dashboard.snapshots import snapshot_take


@shared_task
def take_daily_snapshot(day: str | None = None) -> int:
    """Late in the evening: every grid's figures of the day (re-running the same day replaces it)."""
    when = timezone.localdate() if day is None else timezone.datetime.fromisoformat(day).date()
    return snapshot_take(day=when)
