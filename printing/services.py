"""Printing files: each print is audited in the same transaction as the file is made.

A person's archive card is a read of their file (the read log's 打印档案 part; with the whole
numbers, a sensitive view); receipts and payment notices are exports with their serial number.
A batch is requested here and built by `print_batch_build`, in the request when short and by
Celery when longer than PRINT_BATCH_DIRECT_LIMIT people.
"""

import datetime
import io
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent, ViewPart
from audit.services import audit_event, audit_record
from core.errors import ApplicationError
from grids.scoping import require_actor
from printing.documents import PrintContext, archive_pdf, payment_notice_pdf, receipt_pdf
from printing.models import BatchStatus, PrintBatch
from printing.selectors import archive_cards, batch_area, batch_people, batches_to_expire
from printing.serials import payment_notice_serial, receipt_serial

PROGRESS_EVERY = 10  # cards between two progress writes of a batch
logger = logging.getLogger(__name__)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if getattr(user, "pk", None) else str(user)


def _context(user, full_numbers: bool) -> PrintContext:
    return PrintContext(printed_by=_name(user), printed_at=timezone.now(), full_numbers=full_numbers)


def _print_detail(kind: str, full_numbers: bool, **more) -> dict:
    """The audit detail of a print of personal data: a print, which file, and whether the whole
    ID and phone numbers were on it."""
    return {"part": str(ViewPart.PRINT), "print": kind, "full_numbers": full_numbers, **more}


@transaction.atomic
def archive_print(*, veteran, acting_user, request=None) -> bytes:
    """The archive card of one person as a PDF. `veteran` was read through the user's scope
    (printing.selectors.archive_person). The whole ID and phone numbers are printed only for
    users who may see them (veterans.reveal_identity); the print is a read of the file."""
    require_actor(acting_user)
    full_numbers = acting_user.has_perm("veterans.reveal_identity")
    buffer = io.BytesIO()
    archive_pdf(buffer, archive_cards(user=acting_user, veterans=[veteran]), _context(acting_user, full_numbers))
    audit_record(
        action=AuditAction.VIEW_SENSITIVE if full_numbers else AuditAction.VIEW,
        actor=acting_user,
        request=request,
        obj=veteran,
        detail=_print_detail("archive", full_numbers),
    )
    return buffer.getvalue()


def print_batch_request(*, level: str, area_id, full_numbers: bool, acting_user) -> PrintBatch:
    """Ask for the archive cards of every living person of a community or grid in one PDF.
    Up to PRINT_BATCH_DIRECT_LIMIT people it is made at once; more go to Celery. The whole
    numbers only for users who may export them unmasked (veterans.export_unmasked)."""
    require_actor(acting_user)
    if not acting_user.has_perm("veterans.view_veteran"):
        raise ApplicationError(_("您没有查看档案的权限。"), code="permission_denied")
    area = batch_area(user=acting_user, level=level, area_id=area_id)
    if area is None:
        raise ApplicationError(_("请选择您管辖范围内的社区或网格。"), field="area", code="out_of_scope")
    if full_numbers and not acting_user.has_perm("veterans.export_unmasked"):
        raise ApplicationError(_("您没有导出完整号码的权限。"), field="full_numbers")
    total = batch_people(user=acting_user, level=level, area_id=area.pk).count()
    if total == 0:
        raise ApplicationError(_("该区域没有在册的在世人员。"), field="area")
    in_background = total > settings.PRINT_BATCH_DIRECT_LIMIT
    with transaction.atomic():
        batch = PrintBatch.objects.create(
            requested_by=acting_user,
            level=level,
            area_id=area.pk,
            area_name=area.name,
            full_numbers=full_numbers,
            in_background=in_background,
            total=total,
        )
        audit_record(
            action=AuditAction.EXPORT,
            actor=acting_user,
            obj=batch,
            detail=_print_detail("archive_batch", full_numbers, area=f"{level}:{area.pk}", people=total),
        )
        if in_background:
            from printing.tasks import build_print_batch

            transaction.on_commit(lambda: build_print_batch.delay(batch.pk))
    if not in_background:
        try:
            print_batch_build(batch_id=batch.pk)
        except Exception:  # marked failed by the build: the batch page says so
            logger.exception("batch print %s failed", batch.pk)
        batch.refresh_from_db()
    return batch


def print_batch_build(*, batch_id: int) -> PrintBatch:
    """Make a batch's PDF as its requester, through their scope as it is now: every card from a
    new page, progress written every few cards, one read-log row per person printed. A failure
    marks the batch failed, so its page says so instead of a bar that never moves."""
    batch = PrintBatch.objects.select_related("requested_by").get(pk=batch_id)
    if batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING):
        return batch  # a task delivered twice builds once
    user = batch.requested_by
    try:
        return _build(batch, user)
    except Exception as error:
        PrintBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, error=str(error)[:300])
        raise


def _build(batch: PrintBatch, user) -> PrintBatch:
    full_numbers = batch.full_numbers and user.has_perm("veterans.export_unmasked")
    people = list(batch_people(user=user, level=batch.level, area_id=batch.area_id))
    PrintBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, total=len(people), done=0)
    cards = archive_cards(user=user, veterans=people)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == len(cards):
            PrintBatch.objects.filter(pk=batch.pk).update(done=done)

    with tempfile.TemporaryFile(suffix=".pdf") as handle:
        pages = archive_pdf(handle, cards, _context(user, full_numbers), on_card=progress)
        handle.seek(0)
        with transaction.atomic():
            batch.file.save(f"archive-{batch.pk}.pdf", File(handle), save=False)
            PrintBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.DONE,
                done=len(cards),
                pages=pages,
                file=batch.file.name,
                finished_at=timezone.now(),
            )
            _log_reads(people, user, batch, full_numbers)
    batch.refresh_from_db()
    return batch


def _log_reads(people, user, batch: PrintBatch, full_numbers: bool) -> None:
    """One read-log row per person printed (查阅记录 shows it on each file), in one INSERT."""
    rows = []
    for veteran in people:
        event = audit_event(
            action=AuditAction.VIEW_SENSITIVE if full_numbers else AuditAction.VIEW,
            actor=user,
            detail=_print_detail("archive_batch", full_numbers, batch=batch.pk),
        )
        event.object_type, event.object_id, event.object_repr = "veterans.veteran", str(veteran.pk), veteran.name[:200]
        rows.append(event)
    AuditEvent.objects.bulk_create(rows, batch_size=500)


@transaction.atomic
def print_batch_download(*, batch: PrintBatch, acting_user, request=None):
    """The finished PDF of the requester's own batch (an open file), audited as an export."""
    require_actor(acting_user)
    if batch.requested_by_id != acting_user.pk or batch.status != BatchStatus.DONE or not batch.file:
        raise ApplicationError(_("该文件不存在或已过期。"), code="not_found")
    audit_record(
        action=AuditAction.EXPORT,
        actor=acting_user,
        request=request,
        obj=batch,
        detail=_print_detail("archive_batch", batch.full_numbers, download=True, pages=batch.pages),
    )
    return batch.file.open("rb")


def print_batches_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the PDFs of batches older than PRINT_BATCH_KEEP_HOURS: they hold people's records
    and are made again in seconds. The batch row stays (who printed what, and when)."""
    older_than = (now or timezone.now()) - datetime.timedelta(hours=settings.PRINT_BATCH_KEEP_HOURS)
    cleared = 0
    for batch in batches_to_expire(older_than=older_than):
        batch.file.delete(save=False)
        PrintBatch.objects.filter(pk=batch.pk).update(file="", status=BatchStatus.EXPIRED)
        cleared += 1
    return cleared


def _serial_print(*, obj, serial: str, draw, kind: str, acting_user, request) -> tuple[str, bytes]:
    """A one-page document with a serial derived from its row, audited as an export."""
    require_actor(acting_user)
    buffer = io.BytesIO()
    draw(buffer, obj, serial, _context(acting_user, False))
    audit_record(
        action=AuditAction.EXPORT,
        actor=acting_user,
        request=request,
        obj=obj,
        detail={"print": kind, "serial": serial},
    )
    return serial, buffer.getvalue()


@transaction.atomic
def receipt_print(*, entry, acting_user, request=None) -> tuple[str, bytes]:
    """The receipt of a donation or allocation (read through the user's scope) with its serial."""
    require_actor(acting_user)
    return _serial_print(
        obj=entry,
        serial=receipt_serial(entry),
        draw=receipt_pdf,
        kind="donation_receipt",
        acting_user=acting_user,
        request=request,
    )


@transaction.atomic
def payment_notice_print(*, case, acting_user, request=None) -> tuple[str, bytes]:
    """救助金发放通知 of a paid case (read through the user's scope) with its serial."""
    require_actor(acting_user)
    return _serial_print(
        obj=case,
        serial=payment_notice_serial(case),
        draw=payment_notice_pdf,
        kind="payment_notice",
        acting_user=acting_user,
        request=request,
    )
