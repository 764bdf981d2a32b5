from celery import shared_task


@shared_task
def build_print_batch(batch_id: int) -> int:
    """A long batch print in the background; its page follows `done` and shows the failure."""
    from printing.services import print_batch_build

    return print_batch_build(batch_id=batch_id).pages


@shared_task
def expire_print_batches() -> int:
    """Nightly: remove batch PDFs past PRINT_BATCH_KEEP_HOURS (they hold people's records)."""
    from printing.services import print_batches_expire

    return print_batches_expire()
