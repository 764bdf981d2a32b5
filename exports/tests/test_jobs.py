"""Background ledger exports: a big export becomes a job on the exports queue, written by the
worker through the requester's scope, with its progress, an inbox notice and a file only the
requester may download; a small one is still the file itself."""

import time

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from conftest import start_celery_worker, stop_celery_worker
from exports.models import ExportJob, JobStatus
from exports.services import export_build, export_start
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from veterans.tests.xlsx_helpers import read_xlsx
from visits.models import Notification, Visit
from visits.services import visit_record

LIST = "admin:visits_visit_changelist"


@pytest.fixture
def visits(tree):
    worker_a, worker_b = make_staff(grids=[tree["grid_a11"]]), make_staff(grids=[tree["grid_b11"]])
    for name in ("甲", "乙", "丙"):
        visit_record(veteran=make_veteran(tree["grid_a11"], name=name), acting_user=worker_a, method="home")
    visit_record(veteran=make_veteran(tree["grid_b11"], name="外"), acting_user=worker_b, method="phone")
    return Visit.objects.all()


def _export(client, visits):
    return client.post(reverse(LIST), {"action": "export_ledger", "_selected_action": [v.pk for v in visits]})


def test_a_big_export_runs_in_the_background_with_progress_notice_and_download(
    client, tree, visits, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_LIMIT = 2
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client.force_login(station)
    with django_capture_on_commit_callbacks(execute=True):
        response = _export(client, visits)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total == 3
    assert client.get(reverse("exports:progress", args=[job.pk])).json()["finished"] is True
    assert "下载Excel" in client.get(reverse("exports:job", args=[job.pk])).content.decode()
    rows = read_xlsx(b"".join(client.get(reverse("exports:download", args=[job.pk])).streaming_content))
    assert sorted(row[2] for row in rows[1:]) == ["丙", "乙", "甲"]  # not the other street's
    notice = Notification.objects.get(recipient=station)
    assert notice.link == reverse("exports:job", args=[job.pk]) and "3 行" in notice.body
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=station)
    assert exports.count() == 2  # written, then downloaded
    other = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client.force_login(other)
    for name in ("exports:job", "exports:progress", "exports:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404  # the requester's only


def test_a_small_export_is_the_file_itself(client, tree, visits, settings):
    settings.EXPORT_DIRECT_LIMIT = 3
    client.force_login(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    rows = read_xlsx(b"".join(_export(client, visits).streaming_content))
    assert len(rows) == 4 and not ExportJob.objects.exists()


def test_the_worker_reads_through_the_requesters_scope(tree, visits):
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    job = export_start(ledger_key="visits", queryset=Visit.objects.all(), acting_user=station)  # unscoped on purpose
    job = export_build(job.pk)
    assert job.done == 3  # the other street's visit is not theirs, whatever the query said


def test_a_failed_export_says_so(client, tree, visits, monkeypatch, django_capture_on_commit_callbacks, settings):
    from exports import services

    settings.EXPORT_DIRECT_LIMIT = 0
    monkeypatch.setattr(services, "write_xlsx", lambda *a, **k: 1 / 0)
    client.force_login(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        _export(client, visits)
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and "division by zero" in job.error
    assert "生成失败" in client.get(reverse("exports:job", args=[job.pk])).content.decode()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.celery_worker
def test_a_real_worker_of_the_exports_queue_builds_it(transactional_db, redis_url, tmp_path, tree):
    worker_a = make_staff(grids=[tree["grid_a11"]])
    visit_record(veteran=make_veteran(tree["grid_a11"], name="甲"), acting_user=worker_a, method="home")
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    process = start_celery_worker(redis_url, tmp_path / "exports.log", queues=("exports",))
    try:
        job = export_start(ledger_key="visits", queryset=Visit.objects.all(), acting_user=station)  # sent on commit
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and job.status != JobStatus.DONE:
            time.sleep(0.2)
            job.refresh_from_db()
    finally:
        stop_celery_worker(process)
    assert job.status == JobStatus.DONE and job.done == 1 and job.file.name
    assert "build_ledger_export[" in (tmp_path / "exports.log").read_text()
