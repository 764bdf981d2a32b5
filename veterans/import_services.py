"""The import workflow: upload → full check (preview) → confirm → all-or-nothing write.

The check parses and validates every row once and stages the clean rows (JSON lines); the
write loads that staging file, so a confirmed import does not parse the sheet again. Both
run as Celery tasks (eager without Redis) and report progress to the cache.
"""

import json
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.db.bulk import copy_rows, is_postgres, reserve_ids
from core.errors import ApplicationError
from core.sheets.xlsx import RowError, SheetLayout, read_upload
from grids.models import Grid
from grids.scoping import require_actor, scope_queryset
from veterans.duplicate_watch import files_changed
from veterans.duplicates import duplicates_elsewhere_record, filed_elsewhere_message, visible_to
from veterans.importing import (
    HEADERS,
    MAX_LISTED_ERRORS,
    PROGRESS_EVERY,
    iter_parsed,
    report_progress,
    soldier_stage,
)
from veterans.models import (
    ChangeKind,
    ImportStatus,
    PriorityCare,
    SourceSoldier,
    Veteran,
    VeteranChange,
    VeteranImport,
)
from veterans.visit_schedule import interval_for, policy_intervals

BATCH = 2000
COLUMN_ORDER = {header: position for position, header in enumerate(HEADERS)}  # a row's errors, left to right
# Columns written from the staging file; the id and timestamps are set at write time.
STAGED_FIELDS = [f for f in Veteran._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]


def veteran_import_start(*, uploaded_file, acting_user) -> VeteranImport:
    """Keep the file and queue its check. File-level problems are refused at once."""
    require_actor(acting_user)
    if not acting_user.has_perm("veterans.import_veterans"):
        raise ApplicationError(_("您没有导入退役军人的权限。"), code="forbidden")
    data = read_upload(uploaded_file, max_bytes=settings.VETERAN_IMPORT_MAX_BYTES)
    record = VeteranImport(created_by=acting_user, original_name=uploaded_file.name[:200])
    record.file.save("veterans.xlsx", ContentFile(data), save=False)
    record.save()
    from veterans.tasks import validate_veteran_import

    transaction.on_commit(lambda: validate_veteran_import.delay(record.pk))
    return record


# Once an import can go no further, its files go: they hold ID and phone numbers in clear,
# which the database keeps only encrypted. The record keeps the name, counts and errors.
SETTLED = (ImportStatus.INVALID, ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.EXPIRED)


def _finish(record: VeteranImport, status: str, **fields) -> None:
    record.status = status
    record.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(record, name, value)
    if status in SETTLED:
        _discard_files(record)
    record.save()


def _discard_files(record: VeteranImport) -> None:
    for stored in (record.file, record.staged_file):
        if stored:
            stored.delete(save=False)


def veteran_imports_expire(*, now=None) -> int:
    """Checked files nobody confirmed within VETERAN_IMPORT_CONFIRM_HOURS are cleared (daily)."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.VETERAN_IMPORT_CONFIRM_HOURS)
    expired = 0
    waiting = (ImportStatus.VALID, ImportStatus.PARTIAL)
    for record in VeteranImport.objects.filter(status__in=waiting, created_at__lt=cutoff):
        claimed = VeteranImport.objects.filter(pk=record.pk, status__in=waiting).update(status=ImportStatus.EXPIRED)
        if claimed:  # not confirmed in the meantime
            _finish(record, ImportStatus.EXPIRED, message=_("超过确认期限未导入，文件已清除，请重新上传。"))
            expired += 1
    return expired


def _listed(errors: list[RowError]) -> list[dict]:
    return [{"row": e.row, "column": e.column, "message": e.message} for e in errors[:MAX_LISTED_ERRORS]]


def _plan_first_visit(veteran: Veteran, categories, intervals: dict[str, int], today) -> None:
    """A new record is due a visit from the day it is filed, at its group's interval."""
    veteran.visit_interval_days = interval_for(
        birth_date=veteran.birth_date,
        extreme_poverty=veteran.extreme_poverty,
        minimum_living_allowance=veteran.minimum_living_allowance,
        categories=categories,
        intervals=intervals,
        today=today,
    )
    veteran.visit_due_on = today


def _staged_line(veteran: Veteran, categories, soldier: SourceSoldier | None = None) -> str:
    values = [getattr(veteran, f.attname) for f in STAGED_FIELDS]
    return json.dumps([values, categories, soldier_stage(soldier)], default=str, ensure_ascii=False) + "\n"


def veteran_import_validate(*, import_id: int) -> VeteranImport:
    """Check every row; list bad rows and duplicates (in the file and against existing records).

    The good rows are staged: a file with some bad rows can still bring in its good ones, once
    the clerk confirms, while each bad row is listed with its row, column and reason. Rows that
    share an ID number are all refused: which of them the clerk meant is not ours to guess.
    """
    record = VeteranImport.objects.select_related("created_by").get(pk=import_id)
    data = record.file.read()
    errors: list[RowError] = []
    error_count = 0
    first_row_of: dict[str, int] = {}
    repeated: set[str] = set()
    bad_rows: set[int] = set()
    total = staged_count = 0
    layout = SheetLayout()
    intervals, today = policy_intervals(), timezone.localdate()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as staging:
        try:
            for parsed in iter_parsed(data, record.created_by, layout):
                total += 1
                row_errors = list(parsed.errors)
                key = parsed.id_key  # of the normalised number; also on rows refused for other reasons
                if key is not None and key in first_row_of:
                    message = _("与第 %(row)s 行身份证号重复。") % {"row": first_row_of[key]}
                    row_errors.append(RowError(parsed.row, "公民身份号码", message))
                    if key not in repeated:
                        repeated.add(key)
                        first = _("与第 %(row)s 行身份证号重复。") % {"row": parsed.row}
                        row_errors.append(RowError(first_row_of[key], "公民身份号码", first))
                        bad_rows.add(first_row_of[key])
                elif key is not None:
                    first_row_of[key] = parsed.row
                    if parsed.veteran is not None:
                        _plan_first_visit(parsed.veteran, parsed.categories, intervals, today)
                        staging.write(_staged_line(parsed.veteran, parsed.categories, parsed.soldier))
                        staged_count += 1
                if row_errors:
                    bad_rows.add(parsed.row)
                error_count += len(row_errors)
                if len(errors) < MAX_LISTED_ERRORS:
                    errors.extend(row_errors)
                if total % PROGRESS_EVERY == 0:
                    report_progress(import_id, "validating", total)
        except ApplicationError as error:
            _finish(record, ImportStatus.INVALID, message=error.message, error_count=1, errors=[])
            return record
        duplicates = _existing_duplicates(
            {k: r for k, r in first_row_of.items() if k not in repeated}, record.created_by
        )
        error_count += len(duplicates)
        bad_rows.update(e.row for e in duplicates)
        errors = sorted(errors + duplicates, key=lambda e: (e.row, COLUMN_ORDER.get(e.column, len(COLUMN_ORDER))))
        refused_keys = repeated | {k for k, r in first_row_of.items() if r in bad_rows}
        if refused_keys:
            staged_count = _drop_staged(staging, refused_keys)
        status = ImportStatus.INVALID
        if staged_count:
            status = ImportStatus.PARTIAL if error_count else ImportStatus.VALID
            staging.seek(0)
            record.staged_file.save("staged.jsonl", File(staging), save=False)
    layout_facts = {
        "header_row": layout.header_row,
        "ignored_columns": layout.ignored_columns,
        "note_rows": layout.note_rows[:50],
        "sample_rows": layout.sample_rows[:50],
    }
    _finish(
        record,
        status,
        total_rows=total,
        error_count=error_count,
        errors=_listed(errors),
        valid_rows=staged_count,
        refused_rows=len(bad_rows),
        layout=layout_facts,
    )
    report_progress(import_id, "validated", total, total)
    return record


HASH_INDEX = next(i for i, f in enumerate(STAGED_FIELDS) if f.attname == "id_number_hash")


def _drop_staged(staging, refused_keys: set[str]) -> int:
    """Rewrite the staging file without the refused rows; returns how many are left."""
    staging.seek(0)
    kept = [line for line in staging if json.loads(line)[0][HASH_INDEX] not in refused_keys]
    staging.seek(0)
    staging.truncate()
    staging.writelines(kept)
    return len(kept)


def _existing_duplicates(row_of_hash: dict[str, int], uploader) -> list[RowError]:
    """Rows whose ID number is already filed. A file in the uploader's area is named; one
    elsewhere is not (veterans.duplicates), and the attempt is recorded once for the import."""
    hashes = list(row_of_hash)
    found, elsewhere = [], []
    for start in range(0, len(hashes), 2000):
        chunk = hashes[start : start + 2000]
        existing = list(
            Veteran.objects.filter(id_number_hash__in=chunk, removed_at__isnull=True)
            .select_related("grid")
            .only("id_number_hash", "name", "grid__name", "community_id", "street_id")
        )
        visible = visible_to(uploader, existing)
        for veteran in existing:
            if veteran.pk in visible:
                named = {"name": veteran.name, "grid": veteran.grid.name}
                message = _("与已有档案重复：%(name)s（%(grid)s）。") % named
            else:
                message = filed_elsewhere_message()
                elsewhere.append(veteran)
            found.append(RowError(row_of_hash[veteran.id_number_hash], "公民身份号码", message))
    if elsewhere:
        duplicates_elsewhere_record(veterans=elsewhere, acting_user=uploader, channel="import")
    return found


def veteran_import_confirm(*, record: VeteranImport, acting_user) -> VeteranImport:
    require_actor(acting_user)
    if record.created_by_id != acting_user.pk:
        raise ApplicationError(_("只能确认自己上传的文件。"), code="forbidden")
    updated = VeteranImport.objects.filter(pk=record.pk, status__in=(ImportStatus.VALID, ImportStatus.PARTIAL)).update(
        status=ImportStatus.IMPORTING
    )
    if not updated:
        raise ApplicationError(_("该文件当前不能导入（状态：%(status)s）。") % {"status": record.get_status_display()})
    from veterans.tasks import commit_veteran_import

    transaction.on_commit(lambda: commit_veteran_import.delay(record.pk))
    record.refresh_from_db()
    return record


def veteran_import_commit(*, import_id: int) -> VeteranImport:
    """Write every staged row in one transaction; any problem rolls all of it back."""
    record = VeteranImport.objects.select_related("created_by").get(pk=import_id)
    if record.status != ImportStatus.IMPORTING:
        return record
    user = record.created_by
    try:
        with transaction.atomic():
            created_ids = _write_staged(record, user, import_id)
            created = len(created_ids)
            audit_record(
                action=AuditAction.IMPORT,
                actor=user,
                detail={"kind": "veterans", "file": record.original_name, "rows": created},
            )
            files_changed(created_ids)
    except (ApplicationError, IntegrityError) as error:
        message = getattr(error, "message", None) or _("与已有档案重复或数据冲突，未写入任何数据，请重新上传校验。")
        _finish(record, ImportStatus.FAILED, message=str(message)[:500])
        return record
    except Exception:
        # Nothing was written (the transaction rolled back); the record must not stay "importing".
        _finish(record, ImportStatus.FAILED, message=_("写入时发生系统错误，未写入任何数据，请稍后重新上传校验。"))
        raise
    _finish(record, ImportStatus.DONE, created_count=created)
    report_progress(import_id, "done", created, created)
    return record


def _write_staged(record: VeteranImport, user, import_id: int) -> list[int]:
    # The uploader's scope is checked again: it may have changed since the preview.
    allowed_grids = set(scope_queryset(user, Grid.objects.all()).values_list("id", flat=True))
    with record.staged_file.open("rb") as staged:
        rows = _staged_rows(staged, allowed_grids, import_id, record.valid_rows)
        if is_postgres():
            return _copy_all(rows, user, record.valid_rows)
        created: list[int] = []
        for batch in _batches(rows):
            created += _insert_batch(batch, user)
        return created


def _staged_rows(staged, allowed_grids: set[int], import_id: int, total: int):
    """(values, categories, soldier) of each staged line, refusing any row outside the uploader's
    scope. A line staged before soldiers were (values, categories): no soldier."""
    grid_index = next(i for i, f in enumerate(STAGED_FIELDS) if f.attname == "grid_id")
    for number, line in enumerate(staged, 1):
        values, categories, soldier = (*json.loads(line), None)[:3]
        if values[grid_index] not in allowed_grids:
            raise ApplicationError(_("导入涉及的网格已不在您的管辖范围内，未写入任何数据。"))
        yield values, categories, soldier
        if number % BATCH == 0:
            report_progress(import_id, "importing", number, total)


def _batches(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_batch(batch: list, user) -> list[int]:
    veterans = Veteran.objects.bulk_create(
        [
            Veteran(**{f.attname: value for f, value in zip(STAGED_FIELDS, values, strict=True)})
            for values, _c, _s in batch
        ]
    )
    care = [
        PriorityCare(veteran=veteran, category=category, disability_grade=grade)
        for veteran, (_values, categories, _s) in zip(veterans, batch, strict=True)
        for category, grade in categories
    ]
    PriorityCare.objects.bulk_create(care)
    soldiers = [(veteran, soldier) for veteran, (_v, _c, soldier) in zip(veterans, batch, strict=True) if soldier]
    SourceSoldier.objects.bulk_create(
        SourceSoldier(person=veteran, **soldier["fields"]) for veteran, soldier in soldiers
    )
    VeteranChange.objects.bulk_create(
        [
            *(
                VeteranChange(veteran=veteran, kind=ChangeKind.IMPORT, actor=user, new_value=veteran.name)
                for veteran in veterans
            ),
            *(
                VeteranChange(
                    veteran=veteran,
                    kind=ChangeKind.IMPORT,
                    actor=user,
                    field="source_soldier",
                    new_value=soldier["text"],
                )
                for veteran, soldier in soldiers
            ),
        ]
    )
    return [veteran.pk for veteran in veterans]


def _copy_all(rows, user, total: int) -> list[int]:
    """PostgreSQL: one streamed COPY of every record (ids reserved from the sequence first),
    then their priority-care rows and change-history rows; several times faster than INSERT."""
    now = timezone.now()
    ids = iter(reserve_ids(Veteran, total))
    name_index = next(i for i, f in enumerate(STAGED_FIELDS) if f.attname == "name")
    written: list[tuple[int, str]] = []  # (id, name) of each record, for its history row
    care = []
    soldiers: list[tuple[int, dict]] = []

    def veteran_rows():
        for pk, (values, categories, soldier) in zip(ids, rows, strict=False):  # ids first: no row is lost
            written.append((pk, values[name_index]))
            care.extend((pk, category, grade) for category, grade in categories)
            if soldier:
                soldiers.append((pk, soldier))
            yield [pk, *values, now, now]

    copy_rows(Veteran, ["id", *[f.column for f in STAGED_FIELDS], "created_at", "updated_at"], veteran_rows())
    if next(rows, None) is not None:
        raise ApplicationError(_("暂存文件与校验结果不一致，未写入任何数据，请重新上传校验。"))
    copy_rows(PriorityCare, ["veteran_id", "category", "disability_grade"], care)
    soldier_columns = list(soldiers[0][1]["fields"]) if soldiers else []
    if soldiers:
        copy_rows(
            SourceSoldier,
            ["person_id", *soldier_columns],
            ([pk, *(soldier["fields"][c] for c in soldier_columns)] for pk, soldier in soldiers),
        )
    copy_rows(
        VeteranChange,
        ["veteran_id", "changed_at", "actor_id", "kind", "field", "old_value", "new_value", "reason"],
        [
            *((pk, now, user.pk, ChangeKind.IMPORT, "", "", name, "") for pk, name in written),
            *((pk, now, user.pk, ChangeKind.IMPORT, "source_soldier", "", s["text"], "") for pk, s in soldiers),
        ],
    )
    return [pk for pk, _name in written]
