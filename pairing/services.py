"""The one write path of pairing: start a pair, change its partner's details, end it, record its
contacts (结对走访) and what a partner gave (帮扶物资). Every step checks the actor's permission and
scope first, so a person or pair outside it is refused without anything about it being said."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from core.normalize import plain, plain_phone
from grids.scoping import in_scope, require_actor
from pairing.models import ContactWay, EndReason, Pair, PairContact, PairGift, PartnerKind
from veterans.models import LifeStatus, Veteran

AREA_FIELDS = ["district", "street", "community", "grid"]
# Rows this module has just read or checked itself: validating them again would cost a query each.
CHECKED_PAIR_FIELDS = [*AREA_FIELDS, "veteran", "partner_user", "created_by"]
# Partners the file's paired_staff field can name (a staff account of the person's area).
STAFF_KINDS = {PartnerKind.CADRE, PartnerKind.GRID_WORKER}


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(_("您没有办理一对一结对此项工作的权限。"), code="forbidden")


def _require_scope(user, obj, message: str) -> None:
    if not in_scope(user, obj):
        raise ApplicationError(message, code="out_of_scope")


def _day(value, field: str, label: str, *, not_before: datetime.date | None = None, before_label: str = ""):
    """A date that is not in the future nor before `not_before` (named `before_label`)."""
    if not isinstance(value, datetime.date):
        raise ApplicationError(_("请填写%(label)s。") % {"label": label}, field=field)
    if value > timezone.localdate():
        raise ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)
    if not_before is not None and value < not_before:
        raise ApplicationError(
            _("%(label)s不能早于%(other)s（%(day)s）。")
            % {"label": label, "other": before_label, "day": not_before.isoformat()},
            field=field,
        )
    return value


def _partner_user_check(partner_user, veteran: Veteran) -> None:
    if partner_user is None:
        return
    if not partner_user.is_active or not in_scope(partner_user, veteran):
        raise ApplicationError(_("结对人账号须是负责该服务对象所在区域的在用账号。"), field="partner_user")


def _sync_paired_staff(veteran: Veteran, staff_profile, *, only_if, acting_user) -> None:
    """Keep the file's paired_staff (read by the archive card and the ledgers) in step, through
    veterans' own service. A file that cannot be saved for another reason keeps its old value:
    the pair, not this field, is what counts."""
    from veterans.services import veteran_update

    current = Veteran.objects.only("paired_staff_id").get(pk=veteran.pk).paired_staff_id
    if current != only_if:
        return
    try:
        with transaction.atomic():
            veteran_update(veteran=veteran, paired_staff=staff_profile, reason=_("一对一结对"), acting_user=acting_user)
    except ApplicationError:
        pass


@transaction.atomic
def pair_start(
    *,
    veteran: Veteran,
    partner_kind: str,
    partner_name: str,
    started_on: datetime.date,
    acting_user,
    partner_user=None,
    partner_organisation: str = "",
    contact_phone: str = "",
    note: str = "",
) -> Pair:
    """Pair a living person with a partner. One active pair per kind of partner: a second cadre
    is refused until the first pair is ended (naming it), so "who is this person's cadre" has one
    answer; a cadre, a grid worker and an enterprise may pair with the same person at once."""
    require_actor(acting_user)
    _require(acting_user, "pairing.add_pair")
    _require_scope(acting_user, veteran, _("该服务对象不在您的管辖范围内。"))
    veteran = Veteran.objects.select_for_update().get(pk=veteran.pk)
    if veteran.removed_at is not None or veteran.life_status != LifeStatus.ALIVE:
        status = _("已注销") if veteran.removed_at else veteran.get_life_status_display()
        raise ApplicationError(
            _("%(name)s的档案状态为“%(status)s”，不能结对。") % {"name": veteran.name, "status": status},
            field="veteran",
        )
    if partner_kind not in PartnerKind.values:
        raise ApplicationError(_("请选择结对方类别。"), field="partner_kind")
    _partner_user_check(partner_user, veteran)
    partner_name = plain(partner_name or "")
    if not partner_name and partner_user is not None:
        partner_name = partner_user.get_full_name() or partner_user.get_username()
    if not partner_name:
        raise ApplicationError(_("请填写结对人姓名。"), field="partner_name")
    partner_organisation = plain(partner_organisation or "")
    if partner_kind == PartnerKind.ENTERPRISE and not partner_organisation:
        raise ApplicationError(_("企业结对请填写企业名称。"), field="partner_organisation")
    _day(started_on, "started_on", _("结对日期"), not_before=veteran.birth_date, before_label=_("出生日期"))
    existing = Pair.objects.filter(veteran=veteran, partner_kind=partner_kind, active=True).first()
    if existing is not None:
        raise ApplicationError(
            _("%(name)s已有结对中的%(kind)s（%(partner)s，%(day)s起），请先解除原结对。")
            % {
                "name": veteran.name,
                "kind": PartnerKind(partner_kind).label,
                "partner": existing.partner_display,
                "day": existing.started_on.isoformat(),
            },
            field="partner_kind",
        )
    pair = Pair(
        veteran=veteran,
        partner_kind=partner_kind,
        partner_name=partner_name,
        partner_user=partner_user,
        partner_organisation=partner_organisation,
        contact_phone=plain_phone(contact_phone or ""),
        started_on=started_on,
        note=(note or "").strip(),
        created_by=acting_user,
    )
    pair.place_in_grid(veteran.grid)
    # The one-active-pair rule was checked above, with a message naming the pair; the checks are
    # the database's too.
    full_clean_or_raise(pair, exclude=CHECKED_PAIR_FIELDS, validate_constraints=False)
    pair.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=pair, detail={"partner_kind": partner_kind})
    profile = getattr(partner_user, "staff_profile", None) if partner_user else None
    if profile is not None and partner_kind in STAFF_KINDS:
        _sync_paired_staff(veteran, profile, only_if=None, acting_user=acting_user)
    return pair


def _locked_pair(pair: Pair, *, acting_user, permission: str, partner_may: bool = False) -> Pair:
    """The pair, locked, once the actor may act on it: with the permission, or (`partner_may`) as
    the pair's own partner with an account. Either way only inside the actor's scope."""
    require_actor(acting_user)
    if not (partner_may and pair.partner_user_id is not None and pair.partner_user_id == acting_user.pk):
        _require(acting_user, permission)
    _require_scope(acting_user, pair, _("该结对不在您的管辖范围内。"))
    return Pair.objects.select_for_update(of=("self",)).select_related("veteran").get(pk=pair.pk)


@transaction.atomic
def pair_update(
    *, pair: Pair, acting_user, partner_name: str, partner_organisation: str = "", note: str = "", contact_phone=None
) -> Pair:
    """Correct the partner's details; the person, the kind and the dates stay (end the pair and
    start another to change them). `contact_phone=None` keeps the number."""
    pair = _locked_pair(pair, acting_user=acting_user, permission="pairing.change_pair")
    pair.partner_name = plain(partner_name or "")
    if not pair.partner_name:
        raise ApplicationError(_("请填写结对人姓名。"), field="partner_name")
    pair.partner_organisation = plain(partner_organisation or "")
    if pair.partner_kind == PartnerKind.ENTERPRISE and not pair.partner_organisation:
        raise ApplicationError(_("企业结对请填写企业名称。"), field="partner_organisation")
    pair.note = (note or "").strip()
    if contact_phone is not None:
        pair.contact_phone = plain_phone(contact_phone)
    full_clean_or_raise(pair, exclude=CHECKED_PAIR_FIELDS, validate_constraints=False)
    pair.save(update_fields=["partner_name", "partner_organisation", "note", "contact_phone"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=pair)
    return pair


@transaction.atomic
def pair_end(*, pair: Pair, ended_on: datetime.date, end_reason: str, acting_user) -> Pair:
    """End a pair (解除结对): kept with its contacts, no longer counted as covering the person.
    Not before its start nor before its last recorded contact."""
    pair = _locked_pair(pair, acting_user=acting_user, permission="pairing.change_pair")
    if not pair.active:
        raise ApplicationError(_("该结对已于%(day)s解除。") % {"day": pair.ended_on.isoformat()}, field="ended_on")
    if end_reason not in EndReason.values:
        raise ApplicationError(_("请选择解除原因。"), field="end_reason")
    _day(ended_on, "ended_on", _("解除日期"), not_before=pair.started_on, before_label=_("结对日期"))
    last = pair.contacts.order_by("-contacted_on").values_list("contacted_on", flat=True).first()
    if last is not None and ended_on < last:
        raise ApplicationError(
            _("解除日期不能早于最近一次结对走访（%(day)s）。") % {"day": last.isoformat()}, field="ended_on"
        )
    pair.ended_on, pair.end_reason, pair.active = ended_on, end_reason, False
    pair.save(update_fields=["ended_on", "end_reason", "active"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=pair, detail={"ended": ended_on.isoformat()})
    profile = getattr(pair.partner_user, "staff_profile", None) if pair.partner_user_id else None
    if profile is not None and pair.partner_kind in STAFF_KINDS:
        _sync_paired_staff(pair.veteran, None, only_if=profile.pk, acting_user=acting_user)
    return pair


def _within_pair(pair: Pair, day, field: str, label: str) -> None:
    _day(day, field, label, not_before=pair.started_on, before_label=_("结对日期"))
    if pair.ended_on is not None and day > pair.ended_on:
        raise ApplicationError(
            _("%(label)s不能晚于结对解除日期（%(day)s）。") % {"label": label, "day": pair.ended_on.isoformat()},
            field=field,
        )


@transaction.atomic
def pair_contact_record(
    *, pair: Pair, contacted_on: datetime.date, acting_user, way: str = ContactWay.HOME_VISIT, note: str = ""
) -> PairContact:
    """A visit or call made by the pair, dated within its active period; recorded by the grid
    team or the station, or by the paired cadre themself when they have an account."""
    pair = _locked_pair(pair, acting_user=acting_user, permission="pairing.add_paircontact", partner_may=True)
    if way not in ContactWay.values:
        raise ApplicationError(_("请选择走访方式。"), field="way")
    _within_pair(pair, contacted_on, "contacted_on", _("走访日期"))
    note = (note or "").strip()  # free text: full-width punctuation kept
    contact = PairContact(pair=pair, contacted_on=contacted_on, way=way, note=note, recorded_by=acting_user)
    full_clean_or_raise(contact, exclude=["pair", "recorded_by"])
    contact.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=contact)
    return contact


def _money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):  # never money: say so rather than round silently
        raise ApplicationError(_("折合金额须为精确的金额。"), field="value")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ApplicationError(_("折合金额须为数字。"), field="value") from None
    if not amount.is_finite() or amount < 0:
        raise ApplicationError(_("折合金额不能为负数。"), field="value")
    return amount


@transaction.atomic
def pair_gift_record(*, pair: Pair, given_on: datetime.date, description: str, acting_user, value=None) -> PairGift:
    """What the partner gave (Zhenping's enterprises: goods, money, a job), within the pair's period."""
    pair = _locked_pair(pair, acting_user=acting_user, permission="pairing.add_pairgift")
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("请填写帮扶内容。"), field="description")
    _within_pair(pair, given_on, "given_on", _("帮扶日期"))
    gift = PairGift(pair=pair, given_on=given_on, description=description, value=_money(value), recorded_by=acting_user)
    full_clean_or_raise(gift, exclude=["pair", "recorded_by"])
    gift.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=gift, detail={"value": str(gift.value or "")})
    return gift
