"""The import workflow: upload → full check (preview) → confirm → all-or-nothing write.

The check and the write run as Celery tasks (eager without Redis), reporting progress to the
cache for the page's progress bar.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from core.xlsx import RowError, read_upload
from veterans.importing import MAX_LISTED_ERRORS, PROGRESS_EVERY, care_rows_for, iter_parsed, report_progress
from veterans.models import ChangeKind, ImportStatus, PriorityCare, Veteran, VeteranChange, VeteranImport

BATCH = 1000


def veteran_import_start(*, uploaded_file, acting_user) -> VeteranImport:
    """Keep the file and queue its check. File-level problems are refused at once."""
    if not acting_user.has_perm("veterans.import_veterans"):
        raise ApplicationError(_("您没有导入退役军人的权限。"), code="forbidden")
    data = read_upload(uploaded_file, max_bytes=settings.VETERAN_IMPORT_MAX_BYTES)
    record = VeteranImport(created_by=acting_user, original_name=uploaded_file.name[:200])
    record.file.save("veterans.xlsx", ContentFile(data), save=False)
    record.save()
    from veterans.tasks import validate_veteran_import

    transaction.on_commit(lambda: validate_veteran_import.delay(record.pk))
    return record


def _finish(record: VeteranImport, status: str, **fields) -> None:
    record.status = status
    record.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()


def _listed(errors: list[RowError]) -> list[dict]:
    return [{"row": e.row, "column": e.column, "message": e.message} for e in errors[:MAX_LISTED_ERRORS]]


def veteran_import_validate(*, import_id: int) -> VeteranImport:
    """Check every row; list bad rows and duplicates (in the file and against existing records)."""
    record = VeteranImport.objects.select_related("created_by").get(pk=import_id)
    data = record.file.read()
    errors: list[RowError] = []
    error_count = 0
    first_row_of: dict[str, int] = {}
    total = 0
    try:
        for parsed in iter_parsed(data, record.created_by):
            total += 1
            row_errors = list(parsed.errors)
            if parsed.veteran is not None:
                number = parsed.veteran.id_number
                if number in first_row_of:
                    row_errors.append(
                        RowError(
                            parsed.row, "公民身份号码",
                            _("与第 %(row)s 行身份证号重复。") % {"row": first_row_of[number]},
                        )
                    )  # fmt: skip
                else:
                    first_row_of[number] = parsed.row
            error_count += len(row_errors)
            if len(errors) < MAX_LISTED_ERRORS:
                errors.extend(row_errors)
            if total % PROGRESS_EVERY == 0:
                report_progress(import_id, "validating", total)
    except ApplicationError as error:
        _finish(record, ImportStatus.INVALID, message=error.message, error_count=1, errors=[])
        return record
    duplicates = _existing_duplicates(first_row_of)
    error_count += len(duplicates)
    errors = sorted(errors + duplicates, key=lambda e: (e.row, e.column))
    status = ImportStatus.INVALID if error_count else ImportStatus.VALID
    _finish(record, status, total_rows=total, error_count=error_count, errors=_listed(errors))
    report_progress(import_id, "validated", total, total)
    return record


def _existing_duplicates(first_row_of: dict[str, int]) -> list[RowError]:
    numbers = list(first_row_of)
    found = []
    for start in range(0, len(numbers), 2000):
        chunk = numbers[start : start + 2000]
        existing = Veteran.objects.filter(id_number__in=chunk, removed_at__isnull=True).select_related("grid")
        for veteran in existing.only("id_number", "name", "grid__name"):
            found.append(
                RowError(
                    first_row_of[veteran.id_number], "公民身份号码",
                    _("与已有档案重复：%(name)s（%(grid)s）。") % {"name": veteran.name, "grid": veteran.grid.name},
                )
            )  # fmt: skip
    return found


def veteran_import_confirm(*, record: VeteranImport, acting_user) -> VeteranImport:
    if record.created_by_id != acting_user.pk:
        raise ApplicationError(_("只能确认自己上传的文件。"), code="forbidden")
    updated = VeteranImport.objects.filter(pk=record.pk, status=ImportStatus.VALID).update(
        status=ImportStatus.IMPORTING
    )
    if not updated:
        raise ApplicationError(_("该文件当前不能导入（状态：%(status)s）。") % {"status": record.get_status_display()})
    from veterans.tasks import commit_veteran_import

    transaction.on_commit(lambda: commit_veteran_import.delay(record.pk))
    record.refresh_from_db()
    return record


def veteran_import_commit(*, import_id: int) -> VeteranImport:
    """Write every row in one transaction; any problem rolls all of it back."""
    record = VeteranImport.objects.select_related("created_by").get(pk=import_id)
    if record.status != ImportStatus.IMPORTING:
        return record
    data = record.file.read()
    user = record.created_by
    try:
        with transaction.atomic():
            created = _write_all(data, user, import_id)
            audit_record(
                action=AuditAction.IMPORT, actor=user,
                detail={"kind": "veterans", "file": record.original_name, "rows": created},
            )  # fmt: skip
    except (ApplicationError, IntegrityError) as error:
        message = getattr(error, "message", None) or _("与已有档案重复或数据冲突，未写入任何数据，请重新上传校验。")
        _finish(record, ImportStatus.FAILED, message=str(message)[:500])
        return record
    _finish(record, ImportStatus.DONE, created_count=created)
    report_progress(import_id, "done", created, created)
    return record


def _write_all(data: bytes, user, import_id: int) -> int:
    batch: list = []
    created = 0
    for parsed in iter_parsed(data, user):
        if parsed.veteran is None:
            first = parsed.errors[0]
            raise ApplicationError(
                _("第 %(row)s 行有错误（%(reason)s），未写入任何数据。") % {"row": first.row, "reason": first.message}
            )
        batch.append(parsed)
        if len(batch) >= BATCH:
            created += _write_batch(batch, user)
            batch = []
            report_progress(import_id, "importing", created)
    if batch:
        created += _write_batch(batch, user)
    return created


def _write_batch(batch: list, user) -> int:
    veterans = Veteran.objects.bulk_create([parsed.veteran for parsed in batch])
    care: list[PriorityCare] = []
    history = []
    for parsed, veteran in zip(batch, veterans, strict=True):
        care.extend(care_rows_for(veteran, parsed.categories))
        history.append(VeteranChange(veteran=veteran, kind=ChangeKind.IMPORT, actor=user, new_value=veteran.name))
    PriorityCare.objects.bulk_create(care)
    VeteranChange.objects.bulk_create(history)
    return len(veterans)
