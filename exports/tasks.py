from celery import shared_task


@shared_task
def build_ledger_export(job_id: int) -> int:
    """Routed to the exports queue (settings.CELERY_TASK_ROUTES): never in a user's request."""
    from exports.services import export_build, export_failed

    try:
        return export_build(job_id).done
    except Exception as error:  # the requester sees the failure instead of a bar that never moves
        export_failed(job_id, error)
        raise
