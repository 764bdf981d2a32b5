from celery import shared_task
from django.utils import timezone

from appeals.reminders import remind_appeals as build_reminders


@shared_task
def remind_appeals(day: str | None = None) -> int:
    """Every morning: overdue and nearly due appeals to their handlers and stations."""
    when = timezone.localdate() if day is None else timezone.datetime.fromisoformat(day).date()
    return build_reminders(when)
