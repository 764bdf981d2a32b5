"""Reading a background export's file in tests of the apps whose ledgers it writes."""

from openpyxl import load_workbook

from exports.models import ExportJob, JobStatus
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
