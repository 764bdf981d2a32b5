from celery import shared_task
from django.utils import timezone

from confirmations.services import rounds_open_for_year, subsidies_suspend_overdue
from grids.scoping import SYSTEM


@shared_task
def confirm_daily(day: str | None = None) -> int:
    """Every morning: open this year's round in every district (newcomers filed as pending),
    then suspend the subsidy of whoever is still unconfirmed after the deadline."""
    when = timezone.localdate() if day is None else timezone.datetime.fromisoformat(day).date()
    rounds_open_for_year(year=when.year, acting_user=SYSTEM)
    return subsidies_suspend_overdue(day=when, acting_user=SYSTEM)
