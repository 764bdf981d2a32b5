"""The veteran import end to end through a real Celery worker and Redis (CI)."""

import time

import pytest

from grids.tests.factories import GridFactory, make_staff
from veterans.import_services import veteran_import_confirm, veteran_import_start
from veterans.models import ImportStatus, Veteran, VeteranImport
from veterans.tests.factories import next_id_number
from veterans.tests.xlsx_helpers import veteran_row, xlsx_file


def wait_for(record_id: int, statuses: set[str], timeout: float = 60) -> VeteranImport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = VeteranImport.objects.get(pk=record_id)
        if record.status in statuses:
            return record
        time.sleep(0.2)
    pytest.fail(f"import {record_id} stayed {record.status}")


@pytest.mark.celery_worker
def test_worker_checks_then_writes_an_import(celery_worker_process):
    grid = GridFactory()
    user = make_staff(grid.community)
    rows = [veteran_row(姓名=f"工人{n}", 公民身份号码=next_id_number(), 网格编码=grid.code) for n in range(300)]
    record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=user)
    record = wait_for(record.pk, {ImportStatus.VALID, ImportStatus.INVALID})
    assert record.status == ImportStatus.VALID, record.errors[:3]
    veteran_import_confirm(record=record, acting_user=user)
    record = wait_for(record.pk, {ImportStatus.DONE, ImportStatus.FAILED})
    assert record.status == ImportStatus.DONE, record.message
    assert Veteran.objects.filter(grid=grid).count() == 300
