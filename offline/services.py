"""Changes made on a phone without signal, checked against what changed on the server since
(no silent overwrite). The phone sends, with each change, the file's version it was made on
(`file_version`: the newest history row then) and the value it showed; a field someone else
changed since then is not written over but kept as a FieldConflict, both values shown, until
the station or the worker chooses."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from grids.scoping import in_scope, require_actor
from offline.models import ConflictStatus, FieldConflict
from veterans.models import Veteran, VeteranChange
from veterans.services import veteran_update

# What a grid worker may change from the phone.
PHONE_FIELDS = ("phone", "residence_address", "service_needs")


def _require_in_scope(acting_user, obj) -> None:
    if not in_scope(require_actor(acting_user), obj):
        raise ApplicationError(_("该档案不在您的管辖范围内。"), code="out_of_scope")


@transaction.atomic
def veteran_phone_update(*, veteran: Veteran, changes: dict, base_version: int, acting_user) -> list[FieldConflict]:
    """`changes`: field → the worker's new value, for the fields the worker changed. Fields
    changed on the server after `base_version` become conflicts; the others are written."""
    _require_in_scope(acting_user, veteran)
    unknown = set(changes) - set(PHONE_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    current = Veteran.objects.select_for_update().get(pk=veteran.pk)
    changed_since = set(
        VeteranChange.objects.filter(veteran=current, id__gt=base_version, field__in=list(changes)).values_list(
            "field", flat=True
        )
    )
    to_write, conflicts = {}, []
    for field, value in changes.items():
        if value == getattr(current, field):
            continue
        if field in changed_since:
            conflicts.append(
                FieldConflict(
                    veteran=current,
                    field=field,
                    base_version=base_version,
                    server_value=getattr(current, field),
                    submitted_value=value,
                    submitted_by=acting_user,
                )
            )
        else:
            to_write[field] = value
    if to_write:
        veteran_update(veteran=current, acting_user=acting_user, reason=_("网格员手机更新"), **to_write)
    for conflict in conflicts:
        conflict.place_in_grid(current.grid)
        conflict.save()
        audit_record(action=AuditAction.CREATE, actor=acting_user, obj=conflict, detail={"field": conflict.field})
    return conflicts


@transaction.atomic
def field_conflict_resolve(*, conflict: FieldConflict, take_submitted: bool, acting_user) -> FieldConflict:
    """Keep the server's value, or write the submitted one (with the file's history)."""
    _require_in_scope(acting_user, conflict)
    current = FieldConflict.objects.select_for_update().get(pk=conflict.pk)
    if current.status != ConflictStatus.OPEN:
        raise ApplicationError(_("该冲突已处理：%(status)s。") % {"status": current.get_status_display()})
    if take_submitted:
        veteran_update(
            veteran=current.veteran,
            acting_user=acting_user,
            reason=_("处理信息冲突：采用网格员提交的值"),
            **{current.field: current.submitted_value},
        )
    current.status = ConflictStatus.TAKEN if take_submitted else ConflictStatus.KEPT
    current.resolved_by = acting_user if getattr(acting_user, "pk", None) is not None else None
    current.resolved_at = timezone.now()
    current.save(update_fields=["status", "resolved_by", "resolved_at"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=current, detail={"status": current.status})
    return current
