import pytest

from core.tasks import count_rows
from grids.tests.factories import GridFactory


def test_task_runs_eagerly_in_embedded_mode(db):
    GridFactory.create_batch(3)
    assert count_rows.delay("grids", "grid").get(timeout=5) == 3


@pytest.mark.celery_worker
def test_real_worker_runs_a_task_through_redis(celery_worker_process):
    GridFactory.create_batch(4)
    result = count_rows.delay("grids", "grid")
    assert result.get(timeout=30) == 4
    assert result.successful()
