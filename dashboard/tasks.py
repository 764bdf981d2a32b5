from celery import shared_task
from django.utils import timezone

from core.db.replicas import stale_reads
from dashboard.figures import warm_boards
from dashboard.snapshots import snapshot_take


@shared_task(expires=55)
def warm_dashboard() -> int:
    """Every minute: the figures of the city, each district and each street, so no leader waits."""
    with stale_reads():  # counting only: a replica serves it when there is one
        return warm_boards()


@shared_task
def take_daily_snapshot(day: str | None = None) -> int:
    """Late in the evening: every grid's figures of the day (re-running the same day replaces it)."""
    when = timezone.localdate() if day is None else timezone.datetime.fromisoformat(day).date()
    return snapshot_take(day=when)


@shared_task
def build_statistics_export(export_id: int) -> None:
    from dashboard.exports import export_build
    from dashboard.models import ExportStatus, StatisticsExport

    try:
        export_build(export_id)
    except Exception as error:  # the requester sees the failure instead of a bar that never moves
        StatisticsExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED, error=str(error)[:300])
        raise
