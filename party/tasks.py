from celery import shared_task

from grids.scoping import SYSTEM
from party.services import followups_open_missing


@shared_task
def open_party_followups() -> int:
    """Nightly: every pocket or mobile member without an open follow-up gets one."""
    return followups_open_missing(acting_user=SYSTEM)
