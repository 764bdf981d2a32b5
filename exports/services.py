"""Starting and building background ledger exports.

An admin action hands over the queryset on screen (already scoped and filtered); its SQL tree is
pickled with the job, and the worker runs it again through the scoping function for the
requester, so a job can never read more than its requester may. Small exports are still written
in the request (EXPORT_DIRECT_LIMIT rows), where waiting would cost more than the file."""

import pickle
import tempfile

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.exports import write_xlsx, xlsx_download
from audit.models import AuditAction
from audit.services import audit_record
from core.notices import Notice, send_notices
from exports.models import ExportJob, JobStatus
from exports.registry import Ledger, Requester, ledger_named
from grids.scoping import require_actor, scope_queryset

PROGRESS_EVERY = 2000  # rows between two progress updates


def ledger_response(request, *, ledger_key: str, queryset, user=None, options=None):
    """What an export answers: the file itself when it is small, else a job and its page.

    `user` is the requester when there is no request (a test, a command); `options` are what they
    asked for (e.g. {"unmasked": True}), kept with the job so the worker decides as the request would."""
    user = user or request.user
    ledger = ledger_named(ledger_key)
    requester = Requester(user, dict(options or {}))
    covered = ledger.restrict(queryset)
    limit = settings.EXPORT_DIRECT_LIMIT
    if covered.order_by()[: limit + 1].count() <= limit:
        return xlsx_download(
            title=ledger.title(),
            headers=ledger.header_row(),
            rows=ledger.rows(covered, requester),
            user=user,
            request=request,
            audit_detail=ledger.detail_for(requester),
            notes=ledger.notes(requester),
        )
    job = export_start(ledger_key=ledger_key, queryset=queryset, acting_user=user, options=requester.options)
    return HttpResponseRedirect(reverse("exports:job", args=[job.pk]))


@transaction.atomic
def export_start(*, ledger_key: str, queryset, acting_user, options=None) -> ExportJob:
    require_actor(acting_user)
    ledger = ledger_named(ledger_key)
    job = ExportJob.objects.create(
        requested_by=acting_user,
        ledger=ledger_key,
        title=ledger.title(),
        model=queryset.model._meta.label_lower,
        query=pickle.dumps(queryset.query),
        options=dict(options or {}),
    )
    from exports.tasks import build_ledger_export

    transaction.on_commit(lambda: build_ledger_export.delay(job.pk))
    return job


def _queryset_of(job: ExportJob, ledger: Ledger):
    model = apps.get_model(job.model)
    queryset = model._default_manager.all()
    queryset.query = pickle.loads(job.query)  # noqa: S301 (our own pickle, from our own database)
    scope = ledger.scope or scope_queryset
    return ledger.restrict(scope(job.requested_by, queryset))  # again, as whoever asked may see now


def export_build(job_id: int) -> ExportJob:
    """The worker's part: every row, with the progress kept for the requester's page."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    ledger = ledger_named(job.ledger)
    queryset = _queryset_of(job, ledger)
    user = job.requested_by
    requester = Requester(user, job.options or {})
    total = queryset.count()
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, total=total)

    def counted(rows):
        for number, row in enumerate(rows, start=1):
            if number % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(done=number)
            yield row

    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        written = write_xlsx(
            handle,
            title=job.title,
            headers=ledger.header_row(),
            rows=counted(ledger.rows(queryset, requester)),
            exported_by=user.get_full_name() or user.get_username(),
            notes=ledger.notes(requester),
        )
        handle.seek(0)
        job.file.save(f"export-{job.pk}.xlsx", File(handle), save=False)
    job.status, job.done, job.total, job.finished_at = JobStatus.DONE, written, written, timezone.now()
    job.save(update_fields=["file", "status", "done", "total", "finished_at"])
    detail = {**ledger.detail_for(requester), "rows": written}
    audit_record(action=AuditAction.EXPORT, actor=user, obj=job, detail=detail)
    link = reverse("exports:job", args=[job.pk])
    text = _("%(title)s已生成，共 %(rows)s 行。") % {"title": job.title, "rows": written}
    send_notices([Notice(user.pk, _("导出完成"), text, link, dedupe_key=f"export:{job.pk}")])
    return job


def export_failed(job_id: int, error: Exception) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=str(error)[:300], finished_at=timezone.now()
    )
