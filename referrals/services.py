"""The one write path of volunteers and referrals.

The district's teams, volunteers and providers are kept by whoever's scope covers the district
(its service center). A referral goes only to an active provider on the person's district's
list; each step checks scope and permission, refuses what the status does not allow with a
message that names the status, and leaves a note (who, when, what) beside the audit row."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import Appeal
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from grids.scoping import in_scope, require_actor
from referrals.messages import provider_off_list_message
from referrals.models import (
    OPEN_STATUSES,
    NoteKind,
    Provider,
    ProviderKind,
    Referral,
    ReferralNote,
    ReferralStatus,
    Volunteer,
    VolunteerTeam,
)
from veterans.models import LifeStatus, Veteran
from visits.models import Visit

FOLLOW_UP_DAYS = 7  # a new referral is followed up a week later unless the worker says otherwise


def _require(user, permission: str, message: str | None = None) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(message or _("您没有办理转介此环节的权限。"), code="forbidden")


def _not_future(day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)


def _not_before(day: datetime.date, earlier: datetime.date, field: str, label: str, earlier_label: str) -> None:
    if day < earlier:
        raise ApplicationError(
            _("%(label)s（%(day)s）不能早于%(earlier)s（%(earlier_day)s）。")
            % {"label": label, "day": day.isoformat(), "earlier": earlier_label, "earlier_day": earlier.isoformat()},
            field=field,
        )


def _written(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ApplicationError(message, field=field)
    return value.strip()


# --- the district's list ------------------------------------------------------------------------


def _require_district(user, district) -> None:
    if not in_scope(user, district):
        raise ApplicationError(
            _("服务联盟和服务机构名录由区/县退役军人服务中心维护，您不能修改该区/县的名录。"),
            field="district",
            code="forbidden",  # the user sees the district's list, only its center keeps it
        )


def _saved(obj, *, acting_user, district, label: str):
    """Create or change a row of the district's list, by someone who keeps that district's list
    (both the district it had and the one it gets)."""
    require_actor(acting_user)
    if district is None:
        raise ApplicationError(_("请选择区/县。"), field="district")
    creating = obj.pk is None
    model = type(obj)._meta.model_name
    _require(
        acting_user,
        f"referrals.{'add' if creating else 'change'}_{model}",
        _("您没有维护%(what)s的权限。") % {"what": label},
    )
    if not creating:
        _require_district(acting_user, type(obj)._default_manager.get(pk=obj.pk).district_of_list)
    _require_district(acting_user, district)
    full_clean_or_raise(obj)
    obj.save()
    audit_record(action=AuditAction.CREATE if creating else AuditAction.UPDATE, actor=acting_user, obj=obj)
    return obj


@transaction.atomic
def team_save(*, team: VolunteerTeam, acting_user) -> VolunteerTeam:
    require_actor(acting_user)
    return _saved(team, acting_user=acting_user, district=team.district_of_list, label=_("志愿服务队"))


@transaction.atomic
def volunteer_save(*, volunteer: Volunteer, acting_user) -> Volunteer:
    require_actor(acting_user)
    if volunteer.team_id is None:
        raise ApplicationError(_("请选择所属队伍。"), field="team")
    if volunteer.veteran_id and not in_scope(acting_user, volunteer.veteran):
        raise ApplicationError(_("关联的退役军人不在您的管辖范围内。"), field="veteran")
    return _saved(volunteer, acting_user=acting_user, district=volunteer.district_of_list, label=_("志愿者"))


@transaction.atomic
def provider_save(*, provider: Provider, acting_user) -> Provider:
    require_actor(acting_user)
    if provider.kind == ProviderKind.VOLUNTEER_TEAM and provider.team_id is None:
        raise ApplicationError(_("志愿服务队类型的机构请选择对应的服务队。"), field="team")
    if provider.team_id and provider.team.district_id != provider.district_id:
        raise ApplicationError(_("所选服务队不属于该区/县。"), field="team")
    return _saved(provider, acting_user=acting_user, district=provider.district_of_list, label=_("服务机构"))


# --- referrals ------------------------------------------------------------------------------------


def _check_provider(provider: Provider, veteran: Veteran) -> None:
    if provider.district_id != veteran.district_id:
        raise ApplicationError(provider_off_list_message(), field="provider")
    if not provider.active:
        raise ApplicationError(_("服务机构“%(name)s”已停用，不能转介。") % {"name": provider.name}, field="provider")


def _check_follow_up(follow_up_on: datetime.date | None, since: datetime.date, since_label: str) -> None:
    if follow_up_on is not None:
        _not_before(follow_up_on, since, "follow_up_on", _("跟进日期"), since_label)


def _note(referral: Referral, kind: str, text: str, user) -> ReferralNote:
    return ReferralNote.objects.create(referral=referral, kind=kind, text=text[:1000], author=user)


@transaction.atomic
def referral_make(
    *,
    veteran: Veteran,
    provider: Provider,
    need: str,
    referred_on: datetime.date,
    acting_user,
    follow_up_on: datetime.date | None = None,
    appeal: Appeal | None = None,
    visit: Visit | None = None,
) -> Referral:
    """Refer the person's need to a provider of their district's list (转介)."""
    require_actor(acting_user)
    _require(acting_user, "referrals.add_referral")
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该服务对象不在您的管辖范围内。"), code="out_of_scope")
    if veteran.removed_at is not None or veteran.life_status != LifeStatus.ALIVE:
        raise ApplicationError(_("该档案已注销、去世或迁出，不能转介。"))
    _check_provider(provider, veteran)
    need = _written(need, "need", _("请填写需要转介的服务需求。"))
    _not_future(referred_on, "referred_on", _("转介日期"))
    follow_up_on = follow_up_on or referred_on + datetime.timedelta(days=FOLLOW_UP_DAYS)
    _check_follow_up(follow_up_on, referred_on, _("转介日期"))
    if appeal is not None and appeal.veteran_id != veteran.pk:
        raise ApplicationError(_("来源诉求不是该服务对象的诉求。"), field="appeal")
    if visit is not None and visit.veteran_id != veteran.pk:
        raise ApplicationError(_("来源走访不是对该服务对象的走访。"), field="visit")
    referral = Referral(
        veteran=veteran,
        provider=provider,
        need=need,
        referred_on=referred_on,
        referred_by=acting_user,
        follow_up_on=follow_up_on,
        appeal=appeal,
        visit=visit,
    )
    referral.place_in_grid(veteran.grid)
    full_clean_or_raise(referral, exclude=["district", "street", "community", "grid", "referred_by"])
    referral.save()
    text = _("转介至%(provider)s：%(need)s") % {"provider": provider.name, "need": need}
    _note(referral, NoteKind.REFER, text, acting_user)
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=referral)
    return referral


def _begin_step(referral: Referral, *, acting_user, permission: str, allowed: tuple[str, ...]) -> Referral:
    """The actor, the permission, the scope, then the referral locked, read again, and in a
    status that allows the step."""
    require_actor(acting_user)
    _require(acting_user, permission)
    if not in_scope(acting_user, referral):
        raise ApplicationError(_("该转介不在您的管辖范围内。"), code="out_of_scope")
    locked = Referral.objects.select_for_update(of=("self",)).select_related("provider").get(pk=referral.pk)
    if locked.status not in allowed:
        raise ApplicationError(
            _("转介当前状态为“%(status)s”，不能进行此操作。") % {"status": locked.get_status_display()},
            field="status",
        )
    return locked


def _audit_status(referral: Referral, acting_user) -> None:
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=referral, detail={"status": referral.status})


@transaction.atomic
def referral_answer(
    *,
    referral: Referral,
    accepted: bool,
    answered_on: datetime.date,
    acting_user,
    note: str = "",
    follow_up_on: datetime.date | None = None,
) -> Referral:
    """The provider's answer, recorded by the station: accepted (接收) or declined (拒收, with why)."""
    referral = _begin_step(
        referral, acting_user=acting_user, permission="referrals.change_referral", allowed=(ReferralStatus.REFERRED,)
    )
    _not_future(answered_on, "answered_on", _("接收/拒收日期"))
    _not_before(answered_on, referral.referred_on, "answered_on", _("接收/拒收日期"), _("转介日期"))
    note = (note or "").strip()
    if accepted:
        _check_follow_up(follow_up_on, answered_on, _("接收日期"))
        referral.status = ReferralStatus.ACCEPTED
        referral.follow_up_on = follow_up_on or max(referral.follow_up_on or answered_on, answered_on)
        text = _("%(provider)s已接收。%(note)s") % {"provider": referral.provider.name, "note": note}
        kind = NoteKind.ACCEPT
    else:
        note = _written(note, "note", _("拒收时请记录原因。"))
        referral.status = ReferralStatus.DECLINED
        text = _("%(provider)s拒收：%(note)s") % {"provider": referral.provider.name, "note": note}
        kind = NoteKind.DECLINE
    referral.answered_on = answered_on
    referral.save(update_fields=["status", "answered_on", "follow_up_on"])
    _note(referral, kind, text.strip(), acting_user)
    _audit_status(referral, acting_user)
    return referral


@transaction.atomic
def referral_note_add(
    *, referral: Referral, text: str, acting_user, follow_up_on: datetime.date | None = None
) -> ReferralNote:
    """A progress or follow-up note (跟进), with the next follow-up date. The first note after
    acceptance means the service has begun (服务中)."""
    referral = _begin_step(
        referral, acting_user=acting_user, permission="referrals.add_referralnote", allowed=OPEN_STATUSES
    )
    text = _written(text, "text", _("请填写跟进情况。"))
    today = timezone.localdate()
    _check_follow_up(follow_up_on, today, _("今天"))
    fields = []
    if referral.status == ReferralStatus.ACCEPTED:
        referral.status = ReferralStatus.IN_PROGRESS
        fields.append("status")
    if follow_up_on is not None:
        referral.follow_up_on = follow_up_on
        fields.append("follow_up_on")
    if fields:
        referral.save(update_fields=fields)
    kind = NoteKind.PROGRESS if referral.status == ReferralStatus.IN_PROGRESS else NoteKind.FOLLOW_UP
    return _note(referral, kind, text, acting_user)


@transaction.atomic
def referral_close(*, referral: Referral, outcome: str, closed_on: datetime.date, acting_user) -> Referral:
    """Closed with the outcome of the service (办结), once the provider has accepted it."""
    referral = _begin_step(
        referral,
        acting_user=acting_user,
        permission="referrals.change_referral",
        allowed=(ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS),
    )
    outcome = _written(outcome, "outcome", _("请填写服务结果。"))
    _not_future(closed_on, "closed_on", _("办结日期"))
    _not_before(closed_on, referral.answered_on, "closed_on", _("办结日期"), _("接收日期"))
    referral.outcome, referral.closed_on, referral.status = outcome, closed_on, ReferralStatus.CLOSED
    referral.days_to_close = (closed_on - referral.referred_on).days
    referral.save(update_fields=["outcome", "closed_on", "status", "days_to_close"])
    _note(referral, NoteKind.CLOSE, outcome, acting_user)
    _audit_status(referral, acting_user)
    return referral


@transaction.atomic
def referral_cancel(*, referral: Referral, reason: str, acting_user) -> Referral:
    """Withdrawn (the person no longer needs it, or a duplicate): kept, with the reason."""
    referral = _begin_step(
        referral, acting_user=acting_user, permission="referrals.change_referral", allowed=OPEN_STATUSES
    )
    reason = _written(reason, "reason", _("请填写撤销原因。"))
    referral.status = ReferralStatus.CANCELLED
    referral.save(update_fields=["status"])
    _note(referral, NoteKind.CANCEL, reason, acting_user)
    _audit_status(referral, acting_user)
    return referral
