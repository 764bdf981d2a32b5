"""The one write path for micro-wishes: collect, publish, claim, fulfil, confirm, cancel.

Each step checks scope, then permission, then the wish's current status (under a row lock), then
its own data; a refusal raises ApplicationError and writes nothing. Every step leaves an audit row.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from core.normalize import plain_phone
from core.uploads.images import clean_image
from grids.scoping import in_scope
from veterans.models import LifeStatus, Veteran
from wishes.models import VALUE_NEGATIVE, VALUE_TOO_HIGH, WISH_VALUE_LIMIT, DonorKind, MicroWish, WishStatus

S = WishStatus


@dataclass(frozen=True)
class Step:
    label: str
    sources: tuple[str, ...]
    permission: str


COLLECT = Step(gettext_lazy("记录心愿"), (), "wishes.add_microwish")
STEPS = {
    "publish": Step(gettext_lazy("发布"), (S.COLLECTED,), "wishes.publish_microwish"),
    "claim": Step(gettext_lazy("登记认领"), (S.PUBLISHED,), "wishes.change_microwish"),
    "fulfil": Step(gettext_lazy("登记实现"), (S.CLAIMED,), "wishes.fulfil_microwish"),
    "confirm": Step(gettext_lazy("确认销号"), (S.FULFILLED,), "wishes.confirm_microwish"),
    "cancel": Step(gettext_lazy("取消心愿"), (S.COLLECTED, S.PUBLISHED, S.CLAIMED), "wishes.change_microwish"),
}


def _require_permission(acting_user, step: Step) -> None:
    if not acting_user.has_perm(step.permission):
        raise ApplicationError(_("您没有“%(action)s”的权限。") % {"action": step.label}, code="forbidden")


def _require_living(veteran: Veteran, step: Step) -> None:
    """Deceased, moved-out or removed files get no new wish and no new donor."""
    if veteran.removed_at is not None:
        raise ApplicationError(_("该退役军人档案已注销，不能“%(action)s”。") % {"action": step.label})
    if veteran.life_status != LifeStatus.ALIVE:
        raise ApplicationError(
            _("该退役军人档案状态为“%(status)s”，不能“%(action)s”。")
            % {"status": veteran.get_life_status_display(), "action": step.label}
        )


def _not_future(day: datetime.date | None, field: str, label: str) -> datetime.date:
    if day is None:
        raise ApplicationError(_("请填写%(label)s。") % {"label": label}, field=field)
    if day > timezone.localdate():
        raise ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)
    return day


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ApplicationError(_("请填写有效的预估价值。"), field="estimated_value") from error
    if amount < 0:
        raise ApplicationError(str(VALUE_NEGATIVE), field="estimated_value")
    if amount > WISH_VALUE_LIMIT:
        raise ApplicationError(VALUE_TOO_HIGH % {"limit_value": WISH_VALUE_LIMIT}, field="estimated_value")
    return amount


def _begin(wish: MicroWish, name: str, acting_user) -> MicroWish:
    """Scope, permission and status checks of one step; returns the locked current row."""
    step = STEPS[name]
    if not in_scope(acting_user, wish):
        raise ApplicationError(_("该微心愿不在您的管辖范围内。"), code="out_of_scope")
    _require_permission(acting_user, step)
    current = MicroWish.objects.select_for_update().get(pk=wish.pk)
    if current.status not in step.sources:
        raise ApplicationError(
            _("当前状态为“%(status)s”，不能“%(action)s”。")
            % {"status": current.get_status_display(), "action": step.label}
        )
    return current


def _finish(wish: MicroWish, name: str, previous: str, acting_user, fields: list[str]) -> MicroWish:
    full_clean_or_raise(wish, exclude=["veteran", "district", "street", "community", "grid", "collected_by"])
    wish.save(update_fields=["status", *fields])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=wish,
        detail={"step": name, "from": previous, "to": wish.status},
    )
    return wish


@transaction.atomic
def wish_collect(
    *,
    veteran: Veteran,
    title: str,
    description: str = "",
    estimated_value,
    acting_user,
    collected_on: datetime.date | None = None,
) -> MicroWish:
    """Record what a veteran wishes for (collected_on defaults to today)."""
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该退役军人不在您的管辖范围内。"), code="out_of_scope")
    _require_permission(acting_user, COLLECT)
    veteran = Veteran.objects.select_related("grid").get(pk=veteran.pk)  # its status now, not the caller's copy
    _require_living(veteran, COLLECT)
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("请填写心愿内容。"), field="title")
    value = _money(estimated_value)
    collected_on = _not_future(collected_on or timezone.localdate(), "collected_on", _("收集日期"))
    wish = MicroWish(
        veteran=veteran,
        title=title,
        description=(description or "").strip(),
        estimated_value=value,
        collected_by=acting_user,
        collected_on=collected_on,
    )
    wish.place_in_grid(veteran.grid)
    full_clean_or_raise(wish)
    wish.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=wish)
    return wish


@transaction.atomic
def wish_publish(*, wish: MicroWish, acting_user) -> MicroWish:
    current = _begin(wish, "publish", acting_user)
    _require_living(current.veteran, STEPS["publish"])
    previous, current.status = current.status, S.PUBLISHED
    current.published_by, current.published_at = acting_user, timezone.now()
    return _finish(current, "publish", previous, acting_user, ["published_by", "published_at"])


@transaction.atomic
def wish_claim(
    *,
    wish: MicroWish,
    donor_kind: str,
    donor_name: str = "",
    donor_phone: str = "",
    claimed_on: datetime.date | None,
    acting_user,
) -> MicroWish:
    """A donor (person, enterprise, organisation, or anonymous) takes the wish on."""
    current = _begin(wish, "claim", acting_user)
    _require_living(current.veteran, STEPS["claim"])
    if donor_kind not in DonorKind.values:
        raise ApplicationError(_("请选择认领方类型。"), field="donor_kind")
    donor_name, donor_phone = (donor_name or "").strip(), plain_phone(donor_phone or "")
    if not donor_name and donor_kind != DonorKind.ANONYMOUS:
        raise ApplicationError(_("请填写认领方名称；不愿留名的请选“匿名”。"), field="donor_name")
    claimed_on = _not_future(claimed_on, "claimed_on", _("认领日期"))
    if claimed_on < current.collected_on:
        raise ApplicationError(
            _("认领日期不能早于收集日期（%(date)s）。") % {"date": current.collected_on.isoformat()}, field="claimed_on"
        )
    previous, current.status = current.status, S.CLAIMED
    current.donor_kind, current.donor_name, current.donor_phone = donor_kind, donor_name, donor_phone
    current.claimed_on = claimed_on
    return _finish(current, "claim", previous, acting_user, ["donor_kind", "donor_name", "donor_phone", "claimed_on"])


@transaction.atomic
def wish_fulfil(
    *, wish: MicroWish, fulfilled_on: datetime.date | None, note: str = "", photo, acting_user
) -> MicroWish:
    """The wish came true: the date, what was done, and a photo as proof (re-encoded, no EXIF)."""
    current = _begin(wish, "fulfil", acting_user)
    fulfilled_on = _not_future(fulfilled_on, "fulfilled_on", _("实现日期"))
    if fulfilled_on < current.claimed_on:
        raise ApplicationError(
            _("实现日期不能早于认领日期（%(date)s）。") % {"date": current.claimed_on.isoformat()}, field="fulfilled_on"
        )
    if not photo:
        raise ApplicationError(_("请上传心愿实现的照片。"), field="photo")
    content = clean_image(photo, field="photo")
    previous, current.status = current.status, S.FULFILLED
    current.fulfilled_on, current.fulfilment_note = fulfilled_on, (note or "").strip()
    current.fulfilled_by = acting_user
    current.photo.save(content.name, content, save=False)
    fields = ["fulfilled_on", "fulfilment_note", "fulfilled_by", "photo"]
    return _finish(current, "fulfil", previous, acting_user, fields)


@transaction.atomic
def wish_confirm(*, wish: MicroWish, acting_user) -> MicroWish:
    """The station has checked the fulfilment and ticks the wish off (销号)."""
    current = _begin(wish, "confirm", acting_user)
    previous, current.status = current.status, S.CONFIRMED
    current.confirmed_by, current.confirmed_at = acting_user, timezone.now()
    return _finish(current, "confirm", previous, acting_user, ["confirmed_by", "confirmed_at"])


@transaction.atomic
def wish_cancel(*, wish: MicroWish, reason: str, acting_user) -> MicroWish:
    """Cancel a wish not yet fulfilled; the veteran then counts as having no wish again."""
    current = _begin(wish, "cancel", acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("请填写取消原因。"), field="reason")
    previous, current.status = current.status, S.CANCELLED
    current.cancel_reason, current.cancelled_by, current.cancelled_at = reason[:200], acting_user, timezone.now()
    return _finish(current, "cancel", previous, acting_user, ["cancel_reason", "cancelled_by", "cancelled_at"])
