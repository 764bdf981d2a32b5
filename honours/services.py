"""The one write path of honours: selection rounds (opened, closed to nominations, announced),
nominations and their decisions, and merit notices (立功喜报) received and delivered. Each step
checks the permission and the scope, refuses what the round's status or the dates do not allow
with a message naming the field, and writes its audit row in the same transaction."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from core.uploads.images import clean_image
from grids.models import District
from grids.scoping import in_scope, require_actor
from honours.models import (
    DeliveryWay,
    MeritKind,
    MeritNotice,
    Nomination,
    NominationStatus,
    Selection,
    SelectionKind,
    SelectionLevel,
    SelectionStatus,
)
from honours.selectors import nominating_open
from veterans.models import LifeStatus, PersonKind, Veteran

AREA_KEYS = ["district", "street", "community", "grid"]


def _require(user, permission: str, message: str) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(message, code="forbidden")


def _require_scope(user, obj, message: str) -> None:
    if not in_scope(user, obj):
        raise ApplicationError(message, code="out_of_scope")


def _written(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ApplicationError(message, field=field)
    return value.strip()


def _not_future(day: datetime.date | None, field: str, label: str) -> datetime.date:
    if day is None:
        raise ApplicationError(_("请填写%(label)s。") % {"label": label}, field=field)
    if day > timezone.localdate():
        raise ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)
    return day


def _user_or_none(user):
    return user if getattr(user, "pk", None) else None  # SYSTEM is no account


def _living_file(person: Veteran, field: str) -> None:
    """A closed, dead or moved-away file takes no new honour and no notice."""
    if person.removed_at is not None:
        raise ApplicationError(_("%(name)s的档案已注销。") % {"name": person.name}, field=field)
    if person.life_status != LifeStatus.ALIVE:
        raise ApplicationError(
            _("%(name)s的档案状态为“%(status)s”。") % {"name": person.name, "status": person.get_life_status_display()},
            field=field,
        )


# --- Selections --------------------------------------------------------------------------------


def _require_district_desk(user, district: District) -> None:
    """Opening, closing and announcing a round is the district's (bureau or district center)."""
    _require_scope(user, district, _("只有区（县）退役军人事务局或服务中心可以发起、截止和公布评选。"))


@transaction.atomic
def selection_open(
    *,
    district: District,
    name: str,
    kind: str,
    level: str,
    year: int,
    nomination_deadline: datetime.date,
    acting_user,
) -> Selection:
    """Open a selection round of a district; nominations are taken until the deadline."""
    require_actor(acting_user)
    _require(acting_user, "honours.add_selection", _("您没有发起评选的权限。"))
    _require_district_desk(acting_user, district)
    name = _written(name, "name", _("请填写评选名称。"))
    if kind not in SelectionKind.values:
        raise ApplicationError(_("请选择评选类别。"), field="kind")
    if level not in SelectionLevel.values:
        raise ApplicationError(_("请选择评选级别。"), field="level")
    this_year = timezone.localdate().year
    if not 2000 <= (year or 0) <= this_year + 1:
        raise ApplicationError(_("评选年度须在2000年至%(last)s年之间。") % {"last": this_year + 1}, field="year")
    if nomination_deadline is None or nomination_deadline.year not in (year, year + 1):
        raise ApplicationError(_("推荐截止日期须在评选年度或其次年内。"), field="nomination_deadline")
    if nomination_deadline < timezone.localdate():
        raise ApplicationError(_("推荐截止日期不能早于今天。"), field="nomination_deadline")
    if Selection.objects.filter(district=district, name=name).exists():
        raise ApplicationError(_("本区（县）已有名为“%(name)s”的评选。") % {"name": name}, field="name")
    selection = Selection(
        district=district,
        name=name,
        kind=kind,
        level=level,
        year=year,
        nomination_deadline=nomination_deadline,
        created_by=_user_or_none(acting_user),
    )
    full_clean_or_raise(selection)
    selection.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=selection)
    return selection


def _locked_selection(selection: Selection, acting_user) -> Selection:
    require_actor(acting_user)
    _require(acting_user, "honours.change_selection", _("您没有管理评选的权限。"))
    _require_district_desk(acting_user, selection.district)
    return Selection.objects.select_for_update().get(pk=selection.pk)


def _status_refused(selection: Selection) -> ApplicationError:
    return ApplicationError(
        _("评选当前状态为“%(status)s”，不能进行此操作。") % {"status": selection.get_status_display()}, field="status"
    )


@transaction.atomic
def selection_close_nominations(*, selection: Selection, acting_user) -> Selection:
    """End the nominating early (the deadline ends it anyway): the round goes to review."""
    selection = _locked_selection(selection, acting_user)
    if selection.status != SelectionStatus.NOMINATING:
        raise _status_refused(selection)
    selection.status = SelectionStatus.REVIEWING
    selection.save(update_fields=["status"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=selection, detail={"status": selection.status})
    return selection


@transaction.atomic
def selection_announce(*, selection: Selection, announced_on: datetime.date, acting_user) -> Selection:
    """Publish the result, once every nomination is decided; nothing is decided after it."""
    selection = _locked_selection(selection, acting_user)
    if selection.status == SelectionStatus.ANNOUNCED or nominating_open(selection):
        raise _status_refused(selection)
    _not_future(announced_on, "announced_on", _("公布日期"))
    undecided = selection.nominations.filter(status=NominationStatus.NOMINATED).count()
    if undecided:
        raise ApplicationError(_("尚有%(count)s名推荐对象未评定，不能公布。") % {"count": undecided}, field="status")
    last_decision = selection.nominations.aggregate(last=Max("decided_on"))["last"]
    if last_decision and announced_on < last_decision:
        raise ApplicationError(
            _("公布日期不能早于最后评定日期（%(day)s）。") % {"day": last_decision.isoformat()}, field="announced_on"
        )
    selection.status, selection.announced_on = SelectionStatus.ANNOUNCED, announced_on
    selection.save(update_fields=["status", "announced_on"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=selection, detail={"status": selection.status})
    return selection


# --- Nominations -------------------------------------------------------------------------------


def _check_nominee(selection: Selection, veteran: Veteran) -> None:
    _living_file(veteran, "veteran")
    if veteran.district_id != selection.district_id:
        raise ApplicationError(_("推荐对象须是本区（县）的服务对象。"), field="veteran")
    if selection.kind == SelectionKind.MOST_BEAUTIFUL and veteran.person_kind != PersonKind.VETERAN:
        raise ApplicationError(_("“最美退役军人”只能推荐退役军人。"), field="veteran")
    if selection.kind == SelectionKind.FIVE_GOOD_FAMILY and veteran.person_kind == PersonKind.VETERAN:
        raise ApplicationError(_("“五好家属”推荐的是军属、烈属等家属，不是退役军人本人。"), field="veteran")
    if Nomination.objects.filter(selection=selection, veteran=veteran).exists():
        raise ApplicationError(_("%(name)s已在本次评选中被推荐。") % {"name": veteran.name}, field="veteran")


@transaction.atomic
def nomination_add(
    *,
    selection: Selection,
    veteran: Veteran,
    nominated_by: str,
    reason: str,
    acting_user,
    nominated_on: datetime.date | None = None,
) -> Nomination:
    """Put a person of the user's area forward, while the round takes nominations."""
    require_actor(acting_user)
    _require(acting_user, "honours.add_nomination", _("您没有推荐的权限。"))
    _require_scope(acting_user, selection, _("该评选不在您的管辖范围内。"))
    _require_scope(acting_user, veteran, _("该人员不在您的管辖范围内。"))
    selection = Selection.objects.select_for_update().get(pk=selection.pk)
    today = timezone.localdate()
    if selection.status != SelectionStatus.NOMINATING:
        raise ApplicationError(
            _("评选当前状态为“%(status)s”，已不接受推荐。") % {"status": selection.get_status_display()},
            field="selection",
        )
    deadline = selection.nomination_deadline
    if today > deadline:
        raise ApplicationError(_("推荐已于%(day)s截止。") % {"day": deadline.isoformat()}, field="selection")
    nominated_on = _not_future(nominated_on or today, "nominated_on", _("推荐日期"))
    _check_nominee(selection, veteran)
    nomination = Nomination(
        selection=selection,
        veteran=veteran,
        nominated_by=_written(nominated_by, "nominated_by", _("请填写推荐单位。")),
        reason=_written(reason, "reason", _("请填写推荐事迹。")),
        nominated_on=nominated_on,
        recorded_by=_user_or_none(acting_user),
    )
    nomination.place_in_grid(veteran.grid)
    full_clean_or_raise(nomination, exclude=AREA_KEYS)
    nomination.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=nomination)
    return nomination


@transaction.atomic
def nomination_decide(*, nomination: Nomination, selected: bool, decided_on: datetime.date, acting_user) -> Nomination:
    """Record the result of review (当选 / 未当选), only once nominating has closed and until the
    result is announced. A round past its deadline goes to review with its first decision."""
    require_actor(acting_user)
    _require(acting_user, "honours.decide_nomination", _("只有区（县）退役军人事务局或服务站可以评定推荐结果。"))
    _require_scope(acting_user, nomination, _("该推荐不在您的管辖范围内。"))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    selection = Selection.objects.select_for_update().get(pk=nomination.selection_id)
    if selection.status == SelectionStatus.ANNOUNCED:
        raise ApplicationError(_("评选结果已公布，不能再评定。"), field="status")
    if nominating_open(selection):
        raise ApplicationError(
            _("推荐尚未截止（截止日期%(day)s），不能评定。") % {"day": selection.nomination_deadline.isoformat()},
            field="status",
        )
    _not_future(decided_on, "decided_on", _("评定日期"))
    if decided_on < nomination.nominated_on:
        raise ApplicationError(
            _("评定日期不能早于推荐日期（%(day)s）。") % {"day": nomination.nominated_on.isoformat()},
            field="decided_on",
        )
    if selection.status == SelectionStatus.NOMINATING:
        selection.status = SelectionStatus.REVIEWING
        selection.save(update_fields=["status"])
    nomination.status = NominationStatus.SELECTED if selected else NominationStatus.NOT_SELECTED
    nomination.decided_on, nomination.decided_by = decided_on, _user_or_none(acting_user)
    nomination.save(update_fields=["status", "decided_on", "decided_by"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=nomination, detail={"status": nomination.status})
    return nomination


# --- Merit notices (立功喜报) -------------------------------------------------------------------


@transaction.atomic
def merit_notice_receive(
    *,
    family: Veteran,
    soldier_name: str,
    unit: str,
    merit_kind: str,
    received_on: datetime.date,
    acting_user,
) -> MeritNotice:
    """Log a notice of merit the bureau received for a family on file; it waits for delivery. The
    soldier's name and unit, left blank, are those of the soldier the family's file names."""
    require_actor(acting_user)
    _require(acting_user, "honours.add_meritnotice", _("您没有登记立功喜报的权限。"))
    _require_scope(acting_user, family, _("该人员不在您的管辖范围内。"))
    _living_file(family, "family")
    if merit_kind not in MeritKind.values:
        raise ApplicationError(_("请选择立功受奖类别。"), field="merit_kind")
    _not_future(received_on, "received_on", _("收到喜报日期"))
    if received_on < family.birth_date:
        raise ApplicationError(_("收到喜报日期不能早于军属的出生日期。"), field="received_on")
    soldier = getattr(family, "source_soldier", None)  # a family member's file names the soldier
    notice = MeritNotice(
        family=family,
        soldier_name=_written(soldier_name or (soldier and soldier.name), "soldier_name", _("请填写立功军人姓名。")),
        unit=_written(unit or (soldier and soldier.unit), "unit", _("请填写所在部队。")),
        merit_kind=merit_kind,
        received_on=received_on,
        recorded_by=_user_or_none(acting_user),
    )
    notice.place_in_grid(family.grid)
    full_clean_or_raise(notice, exclude=AREA_KEYS)
    notice.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=notice)
    return notice


def _check_delivery_day(notice: MeritNotice, delivered_on: datetime.date | None) -> None:
    _not_future(delivered_on, "delivered_on", _("送达日期"))
    if delivered_on < notice.received_on:
        raise ApplicationError(
            _("送达日期不能早于收到喜报日期（%(day)s）。") % {"day": notice.received_on.isoformat()},
            field="delivered_on",
        )


@transaction.atomic
def merit_notice_deliver(
    *,
    notice: MeritNotice,
    delivered_on: datetime.date,
    delivery_way: str,
    acting_user,
    note: str = "",
    photo=None,
) -> MeritNotice:
    """The family received the notice: the day, how, and optionally a photo of the moment."""
    require_actor(acting_user)
    _require(acting_user, "honours.deliver_meritnotice", _("您没有登记喜报送达的权限。"))
    _require_scope(acting_user, notice, _("该喜报不在您的管辖范围内。"))
    notice = MeritNotice.objects.select_for_update(of=("self",)).select_related("family").get(pk=notice.pk)
    if notice.is_delivered:
        raise ApplicationError(
            _("该喜报已于%(day)s送达。") % {"day": notice.delivered_on.isoformat()}, field="delivered_on"
        )
    _living_file(notice.family, "family")
    _check_delivery_day(notice, delivered_on)
    if delivery_way not in DeliveryWay.values:
        raise ApplicationError(_("请选择送达方式。"), field="delivery_way")
    notice.delivered_on, notice.delivery_way = delivered_on, delivery_way
    notice.delivered_by, notice.delivery_note = _user_or_none(acting_user), (note or "").strip()[:300]
    fields = ["delivered_on", "delivery_way", "delivered_by", "delivery_note"]
    if photo:
        content = clean_image(photo, field="photo")
        notice.photo.save(content.name, content, save=False)
        fields.append("photo")
    notice.save(update_fields=fields)
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=notice, detail={"delivered_on": str(delivered_on)})
    return notice
