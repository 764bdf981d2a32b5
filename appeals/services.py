"""The one write path of appeals: intake, assignment, progress, documents, resolution, the
veteran's rating on the return visit, cancellation. Each step checks scope and permission,
refuses what the status does not allow with a message that names the status, and leaves a
note (who, when, what) beside the audit row."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealCategory,
    AppealDocument,
    AppealKind,
    AppealNote,
    AppealStatus,
    Channel,
    NoteKind,
    Satisfaction,
)
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from core.workdays import add_working_days
from grids.scoping import in_scope, require_actor
from veterans.models import Veteran
from visits.models import Visit


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(_("您没有办理诉求此环节的权限。"), code="forbidden")


def _require_scope(user, obj) -> None:
    if not in_scope(user, obj):
        raise ApplicationError(_("该诉求不在您的管辖范围内。"), code="out_of_scope")


def _require_status(appeal: Appeal, allowed: tuple[str, ...]) -> None:
    if appeal.status not in allowed:
        raise ApplicationError(
            _("诉求当前状态为“%(status)s”，不能进行此操作。") % {"status": appeal.get_status_display()},
            field="status",
        )


def _begin_step(
    appeal: Appeal, *, acting_user, permission: str, allowed: tuple[str, ...] = OPEN_STATUSES, related: tuple = ()
) -> Appeal:
    """The guards every step on an existing appeal begins with: the actor, the permission, the
    scope, then the appeal locked and read again, in a status that allows the step."""
    require_actor(acting_user)
    _require(acting_user, permission)
    _require_scope(acting_user, appeal)
    locked = Appeal.objects.select_for_update(of=("self",))
    if related:  # select_related() with no names would join every relation there is
        locked = locked.select_related(*related)
    locked = locked.get(pk=appeal.pk)
    _require_status(locked, allowed)
    return locked


def _written(value: str, field: str, message: str) -> str:
    """A text the step cannot go without, stripped; refused with `message` when blank."""
    if not value.strip():
        raise ApplicationError(message, field=field)
    return value.strip()


def _not_future(day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)


def _note(appeal: Appeal, kind: str, text: str, user) -> AppealNote:
    return AppealNote.objects.create(appeal=appeal, kind=kind, text=text[:1000], author=user)


def _check_handler(handler, veteran: Veteran) -> None:
    if handler is not None and not in_scope(handler, veteran):
        raise ApplicationError(_("承办人须是负责该退役军人所在区域的工作人员。"), field="handler")


@transaction.atomic
def appeal_open(
    *,
    veteran: Veteran,
    category: AppealCategory,
    channel: str,
    subject: str,
    content: str,
    received_on: datetime.date,
    acting_user,
    visit: Visit | None = None,
    handler=None,
) -> Appeal:
    """Take an appeal in (有诉必接). The deadline counts the category's working days."""
    require_actor(acting_user)
    _require(acting_user, "appeals.add_appeal")
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该退役军人不在您的管辖范围内。"), code="out_of_scope")
    if veteran.removed_at is not None:
        raise ApplicationError(_("该档案已注销，不能登记诉求。"))
    if not category.active:
        raise ApplicationError(_("诉求类别“%(name)s”已停用。") % {"name": category.name}, field="category")
    if channel not in Channel.values:
        raise ApplicationError(_("请选择受理渠道。"), field="channel")
    _not_future(received_on, "received_on", _("受理日期"))
    if visit is not None and visit.veteran_id != veteran.pk:
        raise ApplicationError(_("来源走访不是对该退役军人的走访。"), field="visit")
    _check_handler(handler, veteran)
    appeal = Appeal(
        veteran=veteran,
        category=category,
        channel=channel,
        visit=visit,
        subject=subject.strip(),
        content=content.strip(),
        received_on=received_on,
        deadline=add_working_days(received_on, category.deadline_days),
        handler=handler,
        opened_by=acting_user,
        status=AppealStatus.IN_PROGRESS if handler else AppealStatus.ACCEPTED,
    )
    appeal.place_in_grid(veteran.grid)
    full_clean_or_raise(appeal, exclude=["district", "street", "community", "grid"])
    appeal.save()
    AppealDocument.objects.bulk_create(
        AppealDocument(appeal=appeal, name=name[:100]) for name in category.checklist_items()
    )
    text = _("受理，办理期限 %(deadline)s。") % {"deadline": appeal.deadline.isoformat()}
    _note(appeal, NoteKind.ACCEPT, text, acting_user)
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=appeal)
    return appeal


@transaction.atomic
def appeal_assign(*, appeal: Appeal, handler, acting_user, note: str = "") -> Appeal:
    """Give the appeal to a handler (交办); it is then being handled."""
    appeal = _begin_step(appeal, acting_user=acting_user, permission="appeals.change_appeal")
    _check_handler(handler, appeal.veteran)
    appeal.handler, appeal.status = handler, AppealStatus.IN_PROGRESS
    appeal.save(update_fields=["handler", "status"])
    name = handler.get_full_name() or handler.get_username()
    text = _("交办给 %(name)s。%(note)s") % {"name": name, "note": note.strip()}
    _note(appeal, NoteKind.ASSIGN, text, acting_user)
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=appeal, detail={"handler": handler.pk})
    return appeal


@transaction.atomic
def appeal_note_add(*, appeal: Appeal, text: str, acting_user) -> AppealNote:
    """A progress note; the first one moves an accepted appeal to 办理中."""
    appeal = _begin_step(appeal, acting_user=acting_user, permission="appeals.add_appealnote")
    text = _written(text, "text", _("请填写办理进展。"))
    if appeal.status == AppealStatus.ACCEPTED:
        appeal.status = AppealStatus.IN_PROGRESS
        appeal.save(update_fields=["status"])
    return _note(appeal, NoteKind.PROGRESS, text, acting_user)


@transaction.atomic
def appeal_documents_receive(
    *, appeal: Appeal, document_ids: list[int], received_on: datetime.date, acting_user
) -> int:
    """Tick checklist items of an agency appeal as in hand."""
    appeal = _begin_step(appeal, acting_user=acting_user, permission="appeals.change_appealdocument")
    _not_future(received_on, "received_on", _("收到日期"))
    documents = list(AppealDocument.objects.filter(appeal=appeal, pk__in=document_ids, received_on__isnull=True))
    if not documents:
        raise ApplicationError(_("请选择尚未收到的材料。"), field="document_ids")
    AppealDocument.objects.filter(pk__in=[d.pk for d in documents]).update(received_on=received_on)
    names = "、".join(d.name for d in documents)
    _note(appeal, NoteKind.DOCUMENT, _("收到材料：%(names)s。") % {"names": names}, acting_user)
    return len(documents)


@transaction.atomic
def appeal_resolve(*, appeal: Appeal, resolution: str, resolved_on: datetime.date, acting_user) -> Appeal:
    """Close the handling with a result; an agency appeal needs its whole checklist in hand."""
    appeal = _begin_step(appeal, acting_user=acting_user, permission="appeals.change_appeal", related=("category",))
    resolution = _written(resolution, "resolution", _("请填写办理结果。"))
    _not_future(resolved_on, "resolved_on", _("办结日期"))
    if resolved_on < appeal.received_on:
        raise ApplicationError(_("办结日期不能早于受理日期。"), field="resolved_on")
    if appeal.category.kind == AppealKind.AGENCY:
        missing = list(appeal.documents.filter(received_on__isnull=True).values_list("name", flat=True))
        if missing:
            raise ApplicationError(_("材料未齐，尚缺：%(names)s。") % {"names": "、".join(missing)}, field="resolution")
    appeal.resolution, appeal.resolved_on, appeal.status = resolution, resolved_on, AppealStatus.RESOLVED
    appeal.save(update_fields=["resolution", "resolved_on", "status"])
    _note(appeal, NoteKind.RESOLVE, appeal.resolution, acting_user)
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=appeal, detail={"status": appeal.status})
    return appeal


@transaction.atomic
def appeal_feedback(*, appeal: Appeal, satisfaction: str, feedback: str = "", acting_user) -> Appeal:
    """The return visit: the veteran rates the result. 不满意 sends it back to be handled again."""
    appeal = _begin_step(
        appeal, acting_user=acting_user, permission="appeals.add_appealnote", allowed=(AppealStatus.RESOLVED,)
    )
    if satisfaction not in Satisfaction.values:
        raise ApplicationError(_("请选择满意度。"), field="satisfaction")
    feedback = feedback.strip()
    appeal.satisfaction, appeal.feedback = satisfaction, feedback[:300]
    label = Satisfaction(satisfaction).label
    if satisfaction == Satisfaction.DISSATISFIED:
        if not feedback:
            raise ApplicationError(_("不满意时请记录退役军人的意见。"), field="feedback")
        appeal.status, appeal.reopened = AppealStatus.IN_PROGRESS, appeal.reopened + 1
        appeal.resolved_on = None
        _note(appeal, NoteKind.REOPEN, _("回访不满意，重新办理：%(text)s") % {"text": feedback}, acting_user)
    else:
        appeal.status = AppealStatus.CLOSED
        text = _("%(rating)s：%(text)s") % {"rating": label, "text": feedback} if feedback else str(label)
        _note(appeal, NoteKind.FEEDBACK, text, acting_user)
    appeal.save(update_fields=["satisfaction", "feedback", "status", "reopened", "resolved_on"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=appeal, detail={"satisfaction": satisfaction})
    return appeal


@transaction.atomic
def appeal_cancel(*, appeal: Appeal, reason: str, acting_user) -> Appeal:
    """Withdrawn by the veteran or a duplicate: kept, with the reason."""
    appeal = _begin_step(appeal, acting_user=acting_user, permission="appeals.change_appeal")
    reason = _written(reason, "reason", _("请填写撤销原因。"))
    appeal.status = AppealStatus.CANCELLED
    appeal.save(update_fields=["status"])
    _note(appeal, NoteKind.CANCEL, reason, acting_user)
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=appeal, detail={"status": appeal.status})
    return appeal


@transaction.atomic
def category_save(*, category: AppealCategory, acting_user) -> AppealCategory:
    require_actor(acting_user)
    creating = category.pk is None
    _require(acting_user, "appeals.add_appealcategory" if creating else "appeals.change_appealcategory")
    full_clean_or_raise(category)
    category.save()
    action = AuditAction.CREATE if creating else AuditAction.UPDATE
    audit_record(action=action, actor=acting_user, obj=category)
    return category
