import logging

from celery import shared_task
from django.utils import timezone

from visits.reminders import send_daily_reminders as build_reminders
from visits.schedule import refresh_visit_schedule
from visits.webhooks import WebhookError, deliver, mark_failed

logger = logging.getLogger(__name__)
WEBHOOK_MAX_RETRIES = 5


@shared_task
def send_daily_reminders(day: str | None = None) -> dict:
    report = build_reminders(timezone.localdate() if day is None else timezone.datetime.fromisoformat(day).date())
    return report.__dict__ | {"day": report.day.isoformat()}


@shared_task
def refresh_all_schedules() -> None:
    refresh_visit_schedule()


@shared_task(bind=True, max_retries=WEBHOOK_MAX_RETRIES)
def deliver_webhook(self, delivery_id: int) -> str:
    """One robot message; retried with exponential backoff, a failure never stops the others."""
    try:
        deliver(delivery_id)
    except WebhookError as error:
        if self.request.retries >= WEBHOOK_MAX_RETRIES:
            mark_failed(delivery_id)
            logger.warning("webhook delivery %s failed for good: %s", delivery_id, error)
            return "failed"
        logger.info("webhook delivery %s failed (%s), retrying", delivery_id, error)
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
    return "sent"
