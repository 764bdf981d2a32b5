from celery import shared_task

from grids.scoping import SYSTEM
from replays.services import receipts_prune


@shared_task
def prune_receipts() -> int:
    """Every night: receipts older than replays.services.KEEP_DAYS."""
    return receipts_prune(acting_user=SYSTEM)
