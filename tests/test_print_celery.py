"""A batch print of more than 50 people through a real Celery worker and Redis (CI)."""

import time

import pytest

from grids.models import Role
from grids.tests.factories import make_staff
from printing.models import BatchStatus, PrintBatch
from printing.services import print_batch_request
from printing.tests.conftest import fill


def wait_for(batch_id: int, timeout: float = 120) -> tuple[PrintBatch, set[int]]:
    """The finished batch and every `done` seen on the way."""
    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        batch = PrintBatch.objects.get(pk=batch_id)
        seen.add(batch.done)
        if batch.status in (BatchStatus.DONE, BatchStatus.FAILED):
            return batch, seen
        time.sleep(0.2)
    pytest.fail(f"batch {batch_id} stayed {batch.status}")


@pytest.mark.celery_worker
def test_worker_prints_a_communitys_cards(celery_worker_process, tree):
    # The worker is another process with the same settings: this process reads its file back.
    station = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    fill(tree["grid_a11"], 40, "甲")
    fill(tree["grid_a12"], 30, "乙")
    batch = print_batch_request(
        level="community", area_id=tree["community_a1"].pk, full_numbers=False, acting_user=station
    )
    assert batch.in_background and batch.status == BatchStatus.QUEUED
    batch, seen = wait_for(batch.pk)
    assert batch.status == BatchStatus.DONE, batch.error
    assert (batch.done, batch.total) == (70, 70) and batch.pages >= 70
    assert max(seen) == 70
    with batch.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    batch.file.delete(save=False)
