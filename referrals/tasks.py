from celery import shared_task
from django.utils import timezone

from referrals.reminders import remind_follow_ups as build_reminders


@shared_task
def remind_follow_ups(day: str | None = None) -> int:
    """Every morning: referrals whose follow-up day has come, to whoever made them."""
    when = timezone.localdate() if day is None else timezone.datetime.fromisoformat(day).date()
    return build_reminders(when)
