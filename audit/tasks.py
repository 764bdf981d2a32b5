from celery import shared_task

from audit.retention import purge_expired


@shared_task
def purge_expired_audit() -> int:
    """Daily: drop audit rows past the retention period (never younger than six months)."""
    return purge_expired()
