"""Writes of transfers (迁入迁出) and deaths (已故). Every one names its actor, runs in one
transaction and writes its audit row there."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.models import CaseStatus, HardshipCase
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from grids.models import Grid
from grids.scoping import SYSTEM, in_scope, require_actor, scope_queryset
from transfers.models import Transfer, TransferStatus, TransferToSide
from transfers.packages import file_package
from veterans.models import ChangeKind, LifeStatus, Veteran, VeteranChange
from veterans.relations import area_keyed_references
from veterans.services import veteran_move_grid, veteran_update
from veterans.visit_schedule import refresh_visit_schedule
from visits.models import MustVisitEvent

DECIDE_PERMISSION = "transfers.change_transfer"


def _today() -> datetime.date:
    return timezone.localdate()


def _actor_or_none(acting_user):
    return acting_user if getattr(acting_user, "pk", None) is not None else None  # SYSTEM is no account


def _require_veteran_in_scope(acting_user, veteran: Veteran) -> None:
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该档案不在您的管辖范围内。"), code="out_of_scope")


def _require_receiving_side(acting_user, transfer: Transfer) -> None:
    """Only the side whose scope holds the target grid decides; the sender who cannot see the
    target is told so, a stranger to both ends is told nothing (404)."""
    receives = scope_queryset(acting_user, TransferToSide.objects.filter(pk=transfer.pk)).exists()
    if receives:
        if not acting_user.has_perm(DECIDE_PERMISSION):
            raise ApplicationError(_("您没有接收或退回迁移的权限。"), code="forbidden")
        return
    if scope_queryset(acting_user, Transfer.objects.filter(pk=transfer.pk)).exists():
        raise ApplicationError(_("只有迁入地的服务站才能接收或退回该迁移。"), code="forbidden")
    raise ApplicationError(_("该迁移不在您的管辖范围内。"), code="out_of_scope")


def _require_movable(veteran: Veteran) -> None:
    if veteran.removed_at is not None:
        raise ApplicationError(_("该档案已注销，不能迁移。"))
    if veteran.life_status == LifeStatus.DECEASED:
        raise ApplicationError(_("该退役军人已故，不能迁移。"))
    if veteran.life_status == LifeStatus.MOVED_OUT:
        raise ApplicationError(_("该退役军人已迁出本系统，不能迁移。"))


def _require_no_payment_under_way(veteran: Veteran) -> None:
    if HardshipCase.objects.filter(veteran=veteran, status=CaseStatus.APPROVED).exists():
        raise ApplicationError(_("该退役军人有已批准但尚未发放的困难救助，请发放完毕后再办理迁移。"))


def _locked_transfer(transfer: Transfer) -> Transfer:
    current = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if current.status != TransferStatus.PENDING:
        raise ApplicationError(
            _("该迁移已%(status)s，不能再次处理。") % {"status": current.get_status_display()}, field="status"
        )
    return current


@transaction.atomic
def transfer_start(*, veteran: Veteran, to_grid: Grid, reason: str, acting_user) -> Transfer:
    """The sending side asks the receiving side to take a person's file. Any grid of the
    installation may be the target; the file stays where it is until the receiver accepts."""
    require_actor(acting_user)
    _require_veteran_in_scope(acting_user, veteran)
    if not acting_user.has_perm("transfers.add_transfer"):
        raise ApplicationError(_("您没有发起迁移的权限。"), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("发起迁移必须填写原因。"), field="reason")
    target = Grid.objects.filter(pk=getattr(to_grid, "pk", None)).first()
    if target is None:
        raise ApplicationError(_("目标网格不存在。"), field="to_grid")
    current = Veteran.objects.select_for_update().get(pk=veteran.pk)
    _require_movable(current)
    if current.grid_id == target.pk:
        raise ApplicationError(_("该退役军人已在%(grid)s，无需迁移。") % {"grid": target.name}, field="to_grid")
    if Transfer.objects.filter(veteran=current, status=TransferStatus.PENDING).exists():
        raise ApplicationError(_("该退役军人已有一笔待接收的迁移。"))
    _require_no_payment_under_way(current)
    transfer = Transfer(veteran=current, reason=reason[:200], started_by=_actor_or_none(acting_user))
    transfer.place_from(current.grid)
    transfer.place_to(target)
    full_clean_or_raise(transfer, validate_constraints=False)
    transfer.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        obj=transfer,
        detail={"veteran": current.pk, "from_grid": current.grid_id, "to_grid": target.pk, "reason": reason},
    )
    return transfer


def _move_following_rows(veteran: Veteran, grid: Grid) -> dict[str, int]:
    keys = {
        "grid_id": grid.pk,
        "community_id": grid.community_id,
        "street_id": grid.street_id,
        "district_id": grid.district_id,
    }
    moved = {}
    for model, field in area_keyed_references():
        moved[model._meta.label] = model._base_manager.filter(**{field: veteran.pk}).update(**keys)
    return moved


@transaction.atomic
def transfer_accept(*, transfer: Transfer, acting_user) -> Transfer:
    """The receiving side takes the file: the person, and every row that follows the person,
    move to the target grid in this one transaction; the sending side no longer sees them."""
    require_actor(acting_user)
    _require_receiving_side(acting_user, transfer)
    current = _locked_transfer(transfer)
    veteran = Veteran.objects.select_for_update().get(pk=current.veteran_id)
    _require_movable(veteran)
    _require_no_payment_under_way(veteran)
    if veteran.grid_id != current.from_grid_id:
        raise ApplicationError(_("该退役军人已不在迁出网格，请退回后重新发起。"))
    target = current.to_grid
    # The receiver may not hold the old grid in scope: the checks above are this write's authority,
    # and the move runs as a program; the real actor goes on the history row and the audit.
    veteran_move_grid(veteran=veteran, grid=target, acting_user=SYSTEM, reason=current.reason)
    actor = _actor_or_none(acting_user)
    if actor is not None:
        move_row = VeteranChange.objects.filter(veteran=veteran, kind=ChangeKind.MOVE).order_by("-id").first()
        VeteranChange.objects.filter(pk=move_row.pk).update(actor=actor)
    moved = _move_following_rows(veteran, target)
    refresh_visit_schedule(Veteran.objects.filter(pk=veteran.pk))
    current.status = TransferStatus.ACCEPTED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        action=AuditAction.APPROVE,
        actor=acting_user,
        obj=current,
        detail={"veteran": veteran.pk, "from_grid": current.from_grid_id, "to_grid": target.pk, "moved": moved},
    )
    return current


@transaction.atomic
def transfer_reject(*, transfer: Transfer, reason: str, acting_user) -> Transfer:
    require_actor(acting_user)
    _require_receiving_side(acting_user, transfer)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("退回迁移必须填写原因。"), field="reason")
    current = _locked_transfer(transfer)
    current.status = TransferStatus.REJECTED
    current.reject_reason = reason[:200]
    current.decided_by = _actor_or_none(acting_user)
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=current, detail={"rejected": reason})
    return current


@transaction.atomic
def person_record_death(*, veteran: Veteran, died_on: datetime.date, acting_user) -> Veteran:
    """The file closes with the date (已故): open must-visit events close, the regular subsidy
    stops; the history and the audit name who recorded it."""
    require_actor(acting_user)
    _require_veteran_in_scope(acting_user, veteran)
    if died_on is None:
        raise ApplicationError(_("请填写去世日期。"), field="died_on")
    if died_on > _today():
        raise ApplicationError(_("去世日期不能晚于今天。"), field="died_on")
    current = Veteran.objects.select_for_update().get(pk=veteran.pk)
    if current.life_status == LifeStatus.DECEASED:
        raise ApplicationError(_("该退役军人已登记为已故。"))
    if current.removed_at is not None:
        raise ApplicationError(_("该档案已注销。"))
    if died_on < current.birth_date:
        raise ApplicationError(_("去世日期不能早于出生日期。"), field="died_on")
    current = veteran_update(
        veteran=current,
        acting_user=acting_user,
        reason=_("登记去世"),
        life_status=LifeStatus.DECEASED,
        life_status_date=died_on,
        receives_regular_subsidy=False,
    )
    closed = _close_open_events(current)
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=current,
        detail={"died_on": died_on.isoformat(), "events_closed": closed},
    )
    return current


def _close_open_events(veteran: Veteran) -> int:
    """Must-visit events of the dead are no longer due: they close without a visit."""
    closed = MustVisitEvent.objects.filter(veteran=veteran, resolved_at__isnull=True).update(resolved_at=timezone.now())
    refresh_visit_schedule(Veteran.objects.filter(pk=veteran.pk))
    return closed


@transaction.atomic
def person_move_out(*, veteran: Veteran, destination: str, moved_on: datetime.date, acting_user) -> bytes:
    """A move to a district outside this installation: the file leaves as a package (see
    transfers.packages) for the receiving bureau, and the person is marked 已迁出 with the date.
    The package carries full ID numbers, so only who may export them unmasked may send it."""
    require_actor(acting_user)
    _require_veteran_in_scope(acting_user, veteran)
    if not acting_user.has_perm("veterans.export_unmasked") or not acting_user.has_perm("transfers.add_transfer"):
        raise ApplicationError(_("您没有办理迁出本系统的权限。"), code="forbidden")
    destination = (destination or "").strip()
    if not destination:
        raise ApplicationError(_("请填写迁往地区。"), field="destination")
    if moved_on is None or moved_on > _today():
        raise ApplicationError(_("迁出日期不能晚于今天。"), field="moved_on")
    current = Veteran.objects.select_for_update().get(pk=veteran.pk)
    _require_movable(current)
    if moved_on < current.birth_date:
        raise ApplicationError(_("迁出日期不能早于出生日期。"), field="moved_on")
    if Transfer.objects.filter(veteran=current, status=TransferStatus.PENDING).exists():
        raise ApplicationError(_("该退役军人已有一笔待接收的迁移，请先处理。"))
    _require_no_payment_under_way(current)
    current = veteran_update(
        veteran=current,
        acting_user=acting_user,
        reason=_("迁出本系统：%(destination)s") % {"destination": destination},
        life_status=LifeStatus.MOVED_OUT,
        life_status_date=moved_on,
    )
    package = file_package(current)
    audit_record(
        action=AuditAction.EXPORT,
        actor=acting_user,
        obj=current,
        detail={"package": "move_out", "destination": destination[:100], "moved_on": moved_on.isoformat()},
    )
    return package
