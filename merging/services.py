"""Merging two files of one person, rejecting a pair, and undoing a merge.

A merge re-points every row of the absorbed file to the survivor, found generically through
Veteran._meta.related_objects (so apps added later are covered without an import upward), and
removes the absorbed file through veterans.services (nothing is deleted). The pair stores each
moved row's model and pk, so an undo moves exactly those rows back."""

import datetime

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from grids.scoping import in_scope, require_actor
from merging.models import DuplicatePair, MatchReason, PairStatus
from veterans.models import Veteran
from veterans.relations import person_references
from veterans.services import veteran_remove, veteran_restore
from veterans.visit_schedule import refresh_visit_schedule

UNDO_DAYS = 30


def _relations() -> list[tuple[type[models.Model], str]]:
    """Every reference to a file but the review queue's own (a pair names both files)."""
    return [(model, field) for model, field in person_references() if model._meta.app_label != "merging"]


def _raw(model) -> models.QuerySet:
    # A plain queryset: a model's own manager may refuse updates (append-only ledgers), but
    # re-pointing a row to the same person's other file changes no fact that it records.
    return models.QuerySet(model=model)


def _label(model, field: str) -> str:
    return f"{model._meta.label}.{field}"


def _unique_sets(model, field: str) -> list[tuple[list[str], models.Q | None]]:
    """The unique field sets of `model` that include `field` (a survivor may already hold one)."""
    sets = []
    fk = model._meta.get_field(field)
    if fk.unique:
        sets.append(([field], None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field in constraint.fields:
            sets.append((list(constraint.fields), constraint.condition))
    for together in model._meta.unique_together:
        if field in together:
            sets.append((list(together), None))
    return sets


def _collides(model, field: str, row, survivor: Veteran, unique_sets) -> bool:
    for fields, condition in unique_sets:
        others = {name: getattr(row, model._meta.get_field(name).attname) for name in fields if name != field}
        clash = _raw(model).filter(
            **{field: survivor}, **{model._meta.get_field(k).attname: v for k, v in others.items()}
        )
        if condition is not None:
            if not _raw(model).filter(pk=row.pk).filter(condition).exists():
                continue
            clash = clash.filter(condition)
        if clash.exists():
            return True
    return False


def _values(row) -> dict:
    return {
        f.attname: str(getattr(row, f.attname))
        for f in row._meta.concrete_fields
        if getattr(row, f.attname) is not None
    }


def _in_scope_or_refuse(acting_user, *files: Veteran) -> None:
    for file in files:
        if not in_scope(acting_user, file):
            raise ApplicationError(_("档案不在您的管辖范围内。"), code="out_of_scope")


def _pair_for(first: Veteran, second: Veteran) -> DuplicatePair:
    low, high = sorted([first.pk, second.pk])
    pair, _created = DuplicatePair.objects.get_or_create(first_id=low, second_id=high)
    return DuplicatePair.objects.select_for_update().get(pk=pair.pk)


@transaction.atomic
def veteran_merge(*, survivor: Veteran, absorbed: Veteran, reason: str, acting_user) -> DuplicatePair:
    """Keep `survivor`, move every row of `absorbed` onto it and remove `absorbed`."""
    require_actor(acting_user)
    if survivor.pk == absorbed.pk:
        raise ApplicationError(_("不能将档案与其自身合并。"), code="same_file")
    _in_scope_or_refuse(acting_user, survivor, absorbed)
    if not reason.strip():
        raise ApplicationError(_("合并档案必须填写原因。"), field="reason")
    locked = {v.pk: v for v in Veteran.objects.select_for_update().filter(pk__in=[survivor.pk, absorbed.pk])}
    survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
    if survivor.removed_at is not None or absorbed.removed_at is not None:
        raise ApplicationError(_("档案已合并或已注销，不能再合并。"), code="removed")
    pair = _pair_for(survivor, absorbed)
    if pair.status == PairStatus.MERGED:
        raise ApplicationError(_("这两份档案已经合并。"), code="merged")
    moved: dict[str, list[int]] = {}
    kept_apart: list[dict] = []
    for model, field in _relations():
        unique_sets = _unique_sets(model, field)
        rows = _raw(model).filter(**{field: absorbed})
        to_move = []
        for row in rows if unique_sets else rows.only("pk"):
            if unique_sets and _collides(model, field, row, survivor, unique_sets):
                kept_apart.append({"model": model._meta.label, "pk": row.pk, "values": _values(row)})
            else:
                to_move.append(row.pk)
        if to_move:
            _raw(model).filter(pk__in=to_move).update(**{field: survivor})
            moved[_label(model, field)] = sorted(to_move)
    veteran_remove(
        veteran=absorbed,
        reason=_("合并至 %(name)s（档案编号 %(id)s）：%(reason)s")
        % {"name": survivor.name, "id": survivor.pk, "reason": reason.strip()},
        acting_user=acting_user,
    )
    refresh_visit_schedule(Veteran.objects.filter(pk=survivor.pk))
    now = timezone.now()
    pair.status = PairStatus.MERGED
    pair.survivor = survivor
    pair.decided_by = acting_user if getattr(acting_user, "pk", None) is not None else None
    pair.decided_at = now
    pair.merged_at = now
    pair.decision_reason = reason.strip()[:200]
    pair.moved = moved
    pair.kept_apart = kept_apart
    if not pair.reasons:
        pair.reasons = [MatchReason.NAME_BIRTH] if survivor.name == absorbed.name else []
    pair.full_clean()
    pair.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=survivor,
        detail={"merge": {"absorbed": absorbed.pk, "pair": pair.pk, "moved": moved, "reason": reason.strip()}},
    )
    return pair


@transaction.atomic
def pair_merge(*, pair: DuplicatePair, survivor_id: int, reason: str, acting_user) -> DuplicatePair:
    require_actor(acting_user)
    if survivor_id not in (pair.first_id, pair.second_id):
        raise ApplicationError(_("保留的档案必须是这两份档案之一。"), field="survivor")
    absorbed_id = pair.second_id if survivor_id == pair.first_id else pair.first_id
    files = Veteran.objects.in_bulk([survivor_id, absorbed_id])
    return veteran_merge(
        survivor=files[survivor_id], absorbed=files[absorbed_id], reason=reason, acting_user=acting_user
    )


@transaction.atomic
def pair_reject(*, pair: DuplicatePair, reason: str, acting_user) -> DuplicatePair:
    """不是同一人: the pair is closed for good; the finder never offers it again."""
    require_actor(acting_user)
    _in_scope_or_refuse(acting_user, pair.first, pair.second)
    if not reason.strip():
        raise ApplicationError(_("请填写不是同一人的理由。"), field="reason")
    current = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if current.status not in (PairStatus.PENDING, PairStatus.UNDONE):
        raise ApplicationError(_("该疑似重复档案已处理。"), code="decided")
    current.status = PairStatus.REJECTED
    current.decided_by = acting_user if getattr(acting_user, "pk", None) is not None else None
    current.decided_at = timezone.now()
    current.decision_reason = reason.strip()[:200]
    current.full_clean()
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=current,
        detail={"reject": [current.first_id, current.second_id], "reason": current.decision_reason},
    )
    return current


@transaction.atomic
def pair_undo(*, pair: DuplicatePair, reason: str, acting_user, now: datetime.datetime | None = None) -> DuplicatePair:
    """Within 30 days: move back exactly the rows the merge moved and revive the absorbed file."""
    require_actor(acting_user)
    _in_scope_or_refuse(acting_user, pair.first, pair.second)
    current = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if current.status != PairStatus.MERGED:
        raise ApplicationError(_("只有已合并的档案可以撤销合并。"), code="not_merged")
    now = now or timezone.now()
    if now - current.merged_at > datetime.timedelta(days=UNDO_DAYS):
        raise ApplicationError(_("合并已超过30天，不能撤销。"), code="too_late")
    survivor = Veteran.objects.get(pk=current.survivor_id)
    absorbed = Veteran.objects.get(pk=current.absorbed_id)
    # Revive first: veteran_restore refuses when the ID number has been filed again since.
    veteran_restore(veteran=absorbed, acting_user=acting_user, reason=reason or _("撤销合并"))
    for label, pks in current.moved.items():
        app_model, field = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        _raw(model).filter(pk__in=pks, **{field: survivor}).update(**{field: absorbed})
    refresh_visit_schedule(Veteran.objects.filter(pk__in=[survivor.pk, absorbed.pk]))
    current.status = PairStatus.UNDONE
    current.decided_by = acting_user if getattr(acting_user, "pk", None) is not None else None
    current.decided_at = now
    current.decision_reason = reason.strip()[:200]
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=survivor,
        detail={"undo_merge": {"absorbed": absorbed.pk, "pair": current.pk}},
    )
    return current
