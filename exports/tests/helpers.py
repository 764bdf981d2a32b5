"""Background exports in the tests of the apps whose ledgers they write: the same export made in
the request and by the worker must be the same file, and a forged query must not widen it."""

from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from exports.models import ExportJob, JobStatus
from exports.services import export_start
from veterans.tests.xlsx_helpers import read_xlsx


def built_job() -> ExportJob:
    """The one job the test started, once Celery (eager in tests) has built it."""
    job = ExportJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    return job


def job_rows(job: ExportJob) -> list[list]:
    with job.file.open("rb") as handle:
        return read_xlsx(handle.read())


def job_information(job: ExportJob) -> dict:
    """The 导出信息 sheet, as {label: value}."""
    with job.file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        return {row[0]: row[1] for row in workbook.worksheets[1].iter_rows(values_only=True)}


def _export_details(after_id: int) -> list[dict]:
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, pk__gt=after_id).order_by("id")
    return [event.detail for event in events]


def direct_and_background(settings, capture, export) -> tuple[list[list], list[list], ExportJob]:
    """`export()` answered twice: under the limit (the file itself), then over it (a job that
    Celery, eager in tests, builds). Both are audited alike; returns both files' rows and the job."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    settings.EXPORT_DIRECT_LIMIT = 100_000
    direct = read_xlsx(b"".join(export().streaming_content))
    settings.EXPORT_DIRECT_LIMIT = 0
    with capture(execute=True):
        response = export()
    job = ExportJob.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    assert job.status == JobStatus.DONE, job.error
    in_request, in_worker = _export_details(last)
    assert in_request == in_worker
    return direct, job_rows(job), job


def forged_rows(capture, *, ledger_key: str, queryset, user) -> list[list]:
    """What the worker writes for `user` from a query of more rows than theirs (as if forged)."""
    with capture(execute=True):
        job = export_start(ledger_key=ledger_key, queryset=queryset, acting_user=user)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job_rows(job)
