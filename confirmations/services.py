"""The one write path of the annual confirmation: open a round, confirm a person (by a visit of
this year, or in person at the station), suspend the overdue ones (the daily job), start a spot
check and record its result. Every write checks the actor, the permission and the scope, writes
its audit row in the same transaction, and leaves nothing behind when refused."""

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from audit.models import AuditAction
from audit.services import audit_record
from confirmations.models import (
    Confirmation,
    ConfirmationMethod,
    ConfirmationRound,
    ConfirmationStatus,
    SpotCheck,
    SpotCheckStatus,
    SubsidySuspension,
    SuspensionReason,
    default_deadline,
)
from confirmations.selectors import eligible_q, station_users_for
from core.errors import ApplicationError, full_clean_or_raise
from core.notices import Notice, send_notices
from grids.models import District
from grids.scoping import in_scope, require_actor, scope_queryset
from veterans.models import LifeStatus, Veteran
from visits.models import Visit, VisitMethod

DEFAULT_SPOT_CHECK_SHARE = 0.10
# Seeing the person is what confirms them alive: a home visit or a visit at the station.
CONFIRMING_VISIT_METHODS = (VisitMethod.HOME, VisitMethod.STATION)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(_("您没有办理年度确认的权限。"), code="forbidden")


@transaction.atomic
def confirmation_round_open(
    *, district: District, year: int, acting_user, deadline: datetime.date | None = None
) -> ConfirmationRound:
    """Open the year's round in a district and file a pending row for every recipient of a
    regular subsidy there (alive, on file). Opening it again adds newcomers only."""
    require_actor(acting_user)
    _require(acting_user, "confirmations.open_confirmationround")
    if not in_scope(acting_user, district):
        raise ApplicationError(_("该区/县不在您的管辖范围内。"), code="out_of_scope")
    deadline = deadline or default_deadline(year)
    if deadline.year != year:
        raise ApplicationError(_("确认截止日期须在本年度内。"), field="deadline")
    round_, created = ConfirmationRound.objects.get_or_create(
        district=district,
        year=year,
        defaults={"deadline": deadline, "opened_by": acting_user if acting_user.pk else None},
    )
    if created:
        audit_record(action=AuditAction.CREATE, actor=acting_user, obj=round_, detail={"year": year})
    _file_pending(round_)
    return round_


def _file_pending(round_: ConfirmationRound) -> int:
    people = (
        Veteran.objects.filter(eligible_q(), district_id=round_.district_id)
        .exclude(pk__in=Confirmation.objects.filter(year=round_.year).values("veteran_id"))
        .values("id", "grid_id", "community_id", "street_id", "district_id")
    )
    rows = [
        Confirmation(
            round=round_,
            year=round_.year,
            veteran_id=person["id"],
            grid_id=person["grid_id"],
            community_id=person["community_id"],
            street_id=person["street_id"],
            district_id=person["district_id"],
        )
        for person in people
    ]
    Confirmation.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _check_visit(visit: Visit | None, veteran: Veteran, year: int) -> None:
    if visit is None:
        raise ApplicationError(_("走访确认须关联一次本年度的走访。"), field="visit")
    if visit.veteran_id != veteran.pk:
        raise ApplicationError(_("所选走访不是对该优抚对象的走访。"), field="visit")
    if timezone.localtime(visit.visited_at).year != year:
        raise ApplicationError(_("所选走访不在%(year)s年度内。") % {"year": year}, field="visit")
    if visit.method not in CONFIRMING_VISIT_METHODS:
        raise ApplicationError(_("只有入户走访或来站走访可以确认本人健在。"), field="visit")


def _check_eligible(veteran: Veteran) -> None:
    if veteran.removed_at is not None:
        raise ApplicationError(_("该档案已注销，不能年度确认。"))
    if veteran.life_status != LifeStatus.ALIVE:
        raise ApplicationError(_("该优抚对象已不在健在状态，不能年度确认。"))
    if not veteran.receives_regular_subsidy:
        raise ApplicationError(_("该人员未享受定期补助，无需年度确认。"))


@transaction.atomic
def confirmation_confirm(
    *,
    veteran: Veteran,
    method: str,
    acting_user,
    year: int | None = None,
    visit: Visit | None = None,
    notes: str = "",
) -> Confirmation:
    """Confirm one recipient alive and eligible for the year; a suspension for being
    unconfirmed ends today."""
    require_actor(acting_user)
    _require(acting_user, "confirmations.confirm_confirmation")
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该优抚对象不在您的管辖范围内。"), code="out_of_scope")
    veteran = Veteran.objects.select_for_update().get(pk=veteran.pk)
    _check_eligible(veteran)
    today = timezone.localdate()
    year = year or today.year
    if method not in ConfirmationMethod.values:
        raise ApplicationError(_("请选择确认方式。"), field="method")
    if method == ConfirmationMethod.VISIT:
        _check_visit(visit, veteran, year)
    else:
        visit = None
    round_ = ConfirmationRound.objects.filter(district_id=veteran.district_id, year=year).first()
    if round_ is None:
        raise ApplicationError(_("%(year)s年度确认尚未开启。") % {"year": year}, field="year")
    confirmation = Confirmation.objects.select_for_update().filter(veteran=veteran, year=year).first()
    if confirmation is None:  # became a recipient after the round opened
        confirmation = Confirmation(round=round_, veteran=veteran, year=year)
    if confirmation.status == ConfirmationStatus.CONFIRMED:
        raise ApplicationError(_("该优抚对象%(year)s年度已确认，不能重复确认。") % {"year": year})
    confirmation.place_in_grid(veteran.grid)
    confirmation.status = ConfirmationStatus.CONFIRMED
    confirmation.method = method
    confirmation.visit = visit
    confirmation.notes = notes.strip()[:300]
    confirmation.confirmed_by = acting_user if acting_user.pk else None
    confirmation.confirmed_at = timezone.now()
    full_clean_or_raise(confirmation, exclude=["district", "street", "community", "grid"], validate_unique=False)
    confirmation.save()
    audit_record(
        action=AuditAction.UPDATE, actor=acting_user, obj=confirmation, detail={"confirmed": year, "method": method}
    )
    for suspension in confirmation.suspensions.filter(reason=SuspensionReason.UNCONFIRMED, resumed_on__isnull=True):
        _resume(suspension, today, acting_user)
    return confirmation


def _resume(suspension: SubsidySuspension, day: datetime.date, acting_user) -> None:
    suspension.resumed_on = day
    suspension.save(update_fields=["resumed_on"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=suspension, detail={"resumed_on": day.isoformat()})


def _suspend(confirmation: Confirmation, reason: str, day: datetime.date, acting_user) -> SubsidySuspension | None:
    if confirmation.suspensions.filter(reason=reason).exists():
        return None
    suspension = SubsidySuspension(
        confirmation=confirmation, veteran_id=confirmation.veteran_id, reason=reason, suspended_on=day
    )
    suspension.place_in_grid(confirmation.grid)
    full_clean_or_raise(suspension, exclude=["district", "street", "community", "grid", "veteran", "confirmation"])
    suspension.save()
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=suspension, detail={"suspended": reason})
    return suspension


def subsidies_suspend_overdue(*, day: datetime.date, acting_user) -> int:
    """The daily job: everyone still pending after their round's deadline has the subsidy
    suspended, once; the stations of their streets hear of it in the inbox."""
    require_actor(acting_user)
    with transaction.atomic():
        overdue = scope_queryset(
            acting_user,
            Confirmation.objects.filter(status=ConfirmationStatus.PENDING, round__deadline__lt=day)
            .exclude(suspensions__reason=SuspensionReason.UNCONFIRMED)
            .select_related("veteran", "grid"),
        )
        suspended = []
        for confirmation in overdue.select_for_update(of=("self",)):
            suspension = _suspend(confirmation, SuspensionReason.UNCONFIRMED, day, acting_user)
            if suspension is not None:
                suspended.append(suspension)
        notices = _station_notices(suspended, day)
        transaction.on_commit(lambda: send_notices(notices))
    return len(suspended)


def _station_notices(suspended: list[SubsidySuspension], day: datetime.date) -> list[Notice]:
    if not suspended:
        return []
    by_user: dict[int, list[str]] = {}
    for user_id, names in station_users_for(suspended).items():
        by_user[user_id] = names
    with override(settings.LANGUAGE_CODE):
        return [
            Notice(
                recipient_id=user_id,
                title=_("定期补助暂停通知"),
                body=_("%(count)s名优抚对象逾期未完成年度确认，定期补助已暂停：%(names)s")
                % {"count": len(names), "names": "、".join(names[:10])},
                link=reverse("admin:confirmations_confirmation_changelist") + "?state=suspended",
                dedupe_key=f"confirmations-suspended:{day.isoformat()}:{user_id}",
            )
            for user_id, names in by_user.items()
        ]


@transaction.atomic
def spot_check_start(
    *, year: int, acting_user, share: float = DEFAULT_SPOT_CHECK_SHARE, seed: int | None = None, area_filter=None
) -> list[SpotCheck]:
    """Pick `share` of this year's confirmed recipients in the actor's area (narrowed by
    `area_filter`, a Q on the confirmation's area keys) for a second confirmation. Those
    already picked are not picked again. `seed` makes the draw repeatable."""
    require_actor(acting_user)
    _require(acting_user, "confirmations.confirm_confirmation")
    if not 0 < share <= 1:
        raise ApplicationError(_("抽查比例须大于0且不超过100%。"), field="share")
    candidates = scope_queryset(
        acting_user,
        Confirmation.objects.filter(year=year, status=ConfirmationStatus.CONFIRMED, spot_check__isnull=True),
    )
    if area_filter is not None:
        candidates = candidates.filter(area_filter)
    ids = sorted(candidates.values_list("id", flat=True))
    if not ids:
        raise ApplicationError(_("没有可抽查的已确认人员。"))
    count = max(1, round(len(ids) * share))
    picked = sorted(random.Random(seed).sample(ids, count))
    checks = []
    for confirmation in Confirmation.objects.filter(pk__in=picked).order_by("id"):
        check = SpotCheck(confirmation=confirmation)
        check.place_in_grid(confirmation.grid)
        check.save()
        checks.append(check)
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        detail={"spot_check": year, "picked": len(checks), "of": len(ids), "share": share},
    )
    return checks


@transaction.atomic
def spot_check_record(*, spot_check: SpotCheck, passed: bool, acting_user, reason: str = "") -> SpotCheck:
    """Record a spot check's result; the checker is never the first confirmer. A failed check
    suspends the subsidy."""
    require_actor(acting_user)
    _require(acting_user, "confirmations.confirm_confirmation")
    if not in_scope(acting_user, spot_check):
        raise ApplicationError(_("该抽查不在您的管辖范围内。"), code="out_of_scope")
    check = SpotCheck.objects.select_for_update().select_related("confirmation").get(pk=spot_check.pk)
    if check.status != SpotCheckStatus.PENDING:
        raise ApplicationError(_("该抽查已有结果，不能重复登记。"))
    if acting_user.pk is not None and check.confirmation.confirmed_by_id == acting_user.pk:
        raise ApplicationError(_("抽查须由首次确认人以外的工作人员进行。"))
    if not passed and not reason.strip():
        raise ApplicationError(_("抽查未通过时请填写原因。"), field="reason")
    check.status = SpotCheckStatus.CONFIRMED if passed else SpotCheckStatus.FAILED
    check.reason = "" if passed else reason.strip()[:300]
    check.checked_by = acting_user if acting_user.pk else None
    check.checked_at = timezone.now()
    full_clean_or_raise(check, exclude=["district", "street", "community", "grid", "confirmation"])
    check.save()
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=check, detail={"spot_check": check.status})
    if not passed:
        _suspend(check.confirmation, SuspensionReason.SPOT_CHECK, timezone.localdate(), acting_user)
    return check


def rounds_open_for_year(*, year: int, acting_user) -> int:
    """The daily job's first step: every district gets its round for the current year."""
    require_actor(acting_user)
    opened = 0
    for district in scope_queryset(acting_user, District.objects.all()):
        confirmation_round_open(district=district, year=year, acting_user=acting_user)
        opened += 1
    return opened


__all__ = [
    "confirmation_confirm",
    "confirmation_round_open",
    "rounds_open_for_year",
    "spot_check_record",
    "spot_check_start",
    "subsidies_suspend_overdue",
]
