"""The one write path of the employment registry. Each service checks the actor, the permission
and the scope, refuses impossible dates with a message saying which date and why, and writes its
audit row in the same transaction. A person's status lives on the profile, and every change of
it is a StatusChange row; the file's own 就业状况 and 专项特长 follow through veterans.services."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from employment.models import (
    WORKING_AGE_FROM,
    WORKING_AGE_TO,
    Certificate,
    Employer,
    EmploymentBase,
    EmploymentProfile,
    EmploymentStatus,
    FairAttendance,
    JobFair,
    JobReferral,
    ReferralResult,
    StatusChange,
)
from employment.rules import check_credit_code, file_employment
from grids.models import Grid
from grids.scoping import in_scope, require_actor, scope_queryset
from veterans.models import LifeStatus, Veteran, age_on
from veterans.services import veteran_update

WISH_FIELDS = ("wants_job", "wants_training", "wants_business", "wish_note")
PROFILE_FIELDS = ("skills", "workplace", *WISH_FIELDS)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(_("您没有办理此项就业创业业务的权限。"), code="forbidden")


def _require_person(user, person: Veteran) -> None:
    if not in_scope(user, person):
        raise ApplicationError(_("该人员不在您的管辖范围内。"), field="person", code="out_of_scope")
    if person.removed_at is not None or person.life_status != LifeStatus.ALIVE:
        raise ApplicationError(
            _("%(name)s的档案状态为“%(status)s”，不能办理就业登记。")
            % {"name": person.name, "status": _("已注销") if person.removed_at else person.get_life_status_display()},
            field="person",
        )


def _actor(user):
    """The user to store as who acted (a program acting as SYSTEM is stored as nobody)."""
    return user if getattr(user, "pk", None) else None


def _today() -> datetime.date:
    return timezone.localdate()


def _past_day(day: datetime.date | None, field: str, label: str) -> datetime.date:
    """A date of something already done: given, and not after today."""
    if day is None:
        raise ApplicationError(_("请填写%(label)s。") % {"label": label}, field=field)
    if day > _today():
        raise ApplicationError(
            _("%(label)s %(day)s 晚于今天，已发生的事项不能填写将来的日期。") % {"label": label, "day": day},
            field=field,
        )
    return day


def _after_birth(person: Veteran, day: datetime.date, field: str, label: str) -> None:
    if day < person.birth_date:
        raise ApplicationError(
            _("%(label)s %(day)s 早于%(name)s的出生日期 %(birth)s。")
            % {"label": label, "day": day, "name": person.name, "birth": person.birth_date},
            field=field,
        )


def _check_status(value: str) -> None:
    if value not in EmploymentStatus.values:
        raise ApplicationError(_("请选择就业状态。"), field="status")


def _check_working_age(person: Veteran, status: str, day: datetime.date) -> None:
    """The registry is of working-age people (16–60); outside it only 已退休 may be recorded."""
    age = age_on(person.birth_date, day)
    if status != EmploymentStatus.RETIRED and not WORKING_AGE_FROM <= age <= WORKING_AGE_TO:
        raise ApplicationError(
            _("%(name)s在 %(day)s 时%(age)s岁，不在劳动年龄（%(low)s–%(high)s岁）内，只能登记为“已退休”。")
            % {"name": person.name, "day": day, "age": age, "low": WORKING_AGE_FROM, "high": WORKING_AGE_TO},
            field="status",
        )


def _sync_file(profile: EmploymentProfile, acting_user) -> None:
    """The person's file shows the registry's status and skills (veterans.Veteran.employment and
    .skills): written through the file's own service, so its history records the change."""
    person = profile.person
    changes = {"employment": file_employment(profile.status), "skills": profile.skills}
    changes = {field: value for field, value in changes.items() if getattr(person, field) != value}
    if changes:
        veteran_update(veteran=person, acting_user=acting_user, reason=_("就业创业实名登记"), **changes)


@transaction.atomic
def employment_profile_register(
    *,
    person: Veteran,
    status: str,
    status_since: datetime.date,
    acting_user,
    registered_on: datetime.date | None = None,
    note: str = "",
    **fields,
) -> EmploymentProfile:
    """Enter a person into the registry with their present status (the first history row)."""
    require_actor(acting_user)
    _require(acting_user, "employment.add_employmentprofile")
    _require_person(acting_user, person)
    if EmploymentProfile.objects.filter(person=person).exists():
        raise ApplicationError(_("%(name)s已进行就业登记，请修改原登记。") % {"name": person.name}, field="person")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    _check_status(status)
    registered_on = _past_day(registered_on or _today(), "registered_on", _("登记日期"))
    status_since = _past_day(status_since, "status_since", _("状态起始日期"))
    _after_birth(person, status_since, "status_since", _("状态起始日期"))
    _check_working_age(person, status, registered_on)
    profile = EmploymentProfile(
        person=person,
        status=status,
        status_since=status_since,
        registered_on=registered_on,
        registered_by=_actor(acting_user),
        **{name: value.strip() if isinstance(value, str) else value for name, value in fields.items()},
    )
    profile.place_in_grid(person.grid)
    full_clean_or_raise(profile, exclude=["district", "street", "community", "grid", "person"])
    profile.save()
    StatusChange.objects.create(
        profile=profile, to_status=status, changed_on=status_since, note=note.strip()[:300], actor=_actor(acting_user)
    )
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=profile)
    _sync_file(profile, acting_user)
    return profile


def _locked_profile(profile: EmploymentProfile, acting_user) -> EmploymentProfile:
    if not in_scope(acting_user, profile):
        raise ApplicationError(_("该就业登记不在您的管辖范围内。"), code="out_of_scope")
    return EmploymentProfile.objects.select_for_update(of=("self",)).select_related("person").get(pk=profile.pk)


def _change_status(
    profile: EmploymentProfile, status: str, changed_on: datetime.date, note: str, acting_user
) -> StatusChange:
    """The status change itself, on a locked profile: dated on or after the last one."""
    _check_status(status)
    if status == profile.status:
        raise ApplicationError(
            _("当前状态已是“%(status)s”。") % {"status": profile.get_status_display()}, field="status"
        )
    changed_on = _past_day(changed_on, "changed_on", _("变更日期"))
    if changed_on < profile.status_since:
        raise ApplicationError(
            _("变更日期 %(day)s 早于当前状态“%(status)s”的起始日期 %(since)s。")
            % {"day": changed_on, "status": profile.get_status_display(), "since": profile.status_since},
            field="changed_on",
        )
    _check_working_age(profile.person, status, changed_on)
    change = StatusChange.objects.create(
        profile=profile,
        from_status=profile.status,
        to_status=status,
        changed_on=changed_on,
        note=note.strip()[:300],
        actor=_actor(acting_user),
    )
    profile.status, profile.status_since = status, changed_on
    profile.place_in_grid(profile.person.grid)  # the person may have moved since the last write
    profile.save(update_fields=["status", "status_since", "grid", "community", "street", "district", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=profile,
        detail={"status": [change.from_status, status], "on": changed_on.isoformat()},
    )
    return change


@transaction.atomic
def employment_status_change(
    *, profile: EmploymentProfile, status: str, changed_on: datetime.date, acting_user, note: str = ""
) -> StatusChange:
    """Record a new status (found on a visit, told at the station): one more history row."""
    require_actor(acting_user)
    _require(acting_user, "employment.add_statuschange")
    profile = _locked_profile(profile, acting_user)
    change = _change_status(profile, status, changed_on, note, acting_user)
    _sync_file(profile, acting_user)
    return change


@transaction.atomic
def employment_profile_update(*, profile: EmploymentProfile, acting_user, **changes) -> EmploymentProfile:
    """Skills, workplace and wishes (求职 / 培训 / 创业)."""
    require_actor(acting_user)
    _require(acting_user, "employment.change_employmentprofile")
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    profile = _locked_profile(profile, acting_user)
    changed = []
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) else bool(value)
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if not changed:
        return profile
    full_clean_or_raise(profile, exclude=["district", "street", "community", "grid", "person"], validate_unique=False)
    profile.save(update_fields=[*changed, "updated_at"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=profile, detail={"fields": changed})
    _sync_file(profile, acting_user)
    return profile


@transaction.atomic
def employment_visit_record(
    *, person: Veteran, status: str, changed_on: datetime.date, acting_user, note: str = "", **fields
) -> EmploymentProfile:
    """What a grid worker found on a visit: registers the person if new, else records the status
    (when it changed) and the skills and wishes."""
    require_actor(acting_user)
    profile = EmploymentProfile.objects.filter(person=person).first()
    if profile is None:
        return employment_profile_register(
            person=person, status=status, status_since=changed_on, note=note, acting_user=acting_user, **fields
        )
    if status != profile.status:
        employment_status_change(
            profile=profile, status=status, changed_on=changed_on, note=note, acting_user=acting_user
        )
    return employment_profile_update(profile=profile, acting_user=acting_user, **fields)


@transaction.atomic
def certificate_add(
    *, profile: EmploymentProfile, name: str, issuer: str, issued_on: datetime.date, acting_user
) -> Certificate:
    require_actor(acting_user)
    _require(acting_user, "employment.add_certificate")
    profile = _locked_profile(profile, acting_user)
    issued_on = _past_day(issued_on, "issued_on", _("发证日期"))
    _after_birth(profile.person, issued_on, "issued_on", _("发证日期"))
    certificate = Certificate(profile=profile, name=name.strip(), issuer=issuer.strip(), issued_on=issued_on)
    full_clean_or_raise(certificate)
    certificate.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=certificate)
    return certificate


@transaction.atomic
def certificate_delete(*, certificate: Certificate, acting_user) -> None:
    require_actor(acting_user)
    _require(acting_user, "employment.delete_certificate")
    if not in_scope(acting_user, certificate):
        raise ApplicationError(_("该就业登记不在您的管辖范围内。"), code="out_of_scope")
    audit_record(action=AuditAction.DELETE, actor=acting_user, obj=certificate)
    certificate.delete()


def _require_district(user, district, field: str = "district") -> None:
    """The user works in `district` (a street's or community's staff work in its district)."""
    if district is None or not (
        in_scope(user, district) or scope_queryset(user, Grid.objects.filter(district=district)).exists()
    ):
        raise ApplicationError(_("只能登记本区县的企业、基地和招聘会。"), field=field, code="out_of_scope")


def _district_row_save(row, *, acting_user, permission: str):
    require_actor(acting_user)
    creating = row.pk is None
    _require(acting_user, f"employment.{'add' if creating else 'change'}_{permission}")
    if not creating and not in_scope(acting_user, type(row).objects.get(pk=row.pk)):
        raise ApplicationError(_("该记录不在您的管辖范围内。"), code="out_of_scope")
    _require_district(acting_user, row.district)
    full_clean_or_raise(row)
    row.save()
    audit_record(action=AuditAction.CREATE if creating else AuditAction.UPDATE, actor=acting_user, obj=row)
    return row


@transaction.atomic
def employer_save(*, employer: Employer, acting_user) -> Employer:
    """Add or change a partner employer; its unified social credit code is checked (GB 32100)."""
    require_actor(acting_user)
    employer.credit_code = check_credit_code(employer.credit_code)
    clash = Employer.objects.filter(credit_code=employer.credit_code).exclude(pk=employer.pk).first()
    if clash is not None:
        # The clashing employer is named only to those who may see it.
        where = clash.name if in_scope(acting_user, clash) else _("其他区县")
        raise ApplicationError(_("统一社会信用代码已登记（%(where)s）。") % {"where": where}, field="credit_code")
    employer.name = employer.name.strip()
    return _district_row_save(employer, acting_user=acting_user, permission="employer")


@transaction.atomic
def employment_base_save(*, base: EmploymentBase, acting_user) -> EmploymentBase:
    """Add or change a 就业创业基地; its employer, if any, is of the same district."""
    require_actor(acting_user)
    if base.employer_id and base.employer.district_id != base.district_id:
        raise ApplicationError(_("依托企业属于其他区县。"), field="employer")
    if base.established_on:
        _past_day(base.established_on, "established_on", _("挂牌日期"))
    return _district_row_save(base, acting_user=acting_user, permission="employmentbase")


@transaction.atomic
def job_fair_save(*, fair: JobFair, acting_user) -> JobFair:
    """Add or change a job fair (a fair may be planned ahead: its day may be in the future)."""
    require_actor(acting_user)
    if fair.pk and fair.held_on > _today() and fair.attendances.exists():
        raise ApplicationError(_("已登记参会人员，举办日期不能改到将来。"), field="held_on")
    if fair.pk and fair.attendances.filter(hired_on__lt=fair.held_on).exists():
        raise ApplicationError(_("已有参会人员的就业日期早于该举办日期。"), field="held_on")
    return _district_row_save(fair, acting_user=acting_user, permission="jobfair")


def _require_registered(person: Veteran) -> EmploymentProfile:
    profile = EmploymentProfile.objects.filter(person=person).first()
    if profile is None:
        raise ApplicationError(_("%(name)s尚未进行就业登记，请先登记。") % {"name": person.name}, field="person")
    return profile


def _require_local(person: Veteran, row, field: str, message: str) -> None:
    if row.district_id != person.district_id:
        raise ApplicationError(message, field=field)


@transaction.atomic
def job_referral_create(
    *, person: Veteran, employer: Employer, position: str, referred_on: datetime.date, acting_user, note: str = ""
) -> JobReferral:
    """Recommend a registered person to a partner employer of the person's district."""
    require_actor(acting_user)
    _require(acting_user, "employment.add_jobreferral")
    _require_person(acting_user, person)
    _require_registered(person)
    if not in_scope(acting_user, employer):
        raise ApplicationError(_("该企业不在您的管辖范围内。"), field="employer", code="out_of_scope")
    _require_local(
        person,
        employer,
        "employer",
        _("%(employer)s属于其他区县，只能推荐到本区县的合作企业。") % {"employer": employer.name},
    )
    if not employer.active:
        raise ApplicationError(_("%(employer)s已停止合作。") % {"employer": employer.name}, field="employer")
    referred_on = _past_day(referred_on, "referred_on", _("推荐日期"))
    _after_birth(person, referred_on, "referred_on", _("推荐日期"))
    referral = JobReferral(
        person=person,
        employer=employer,
        position=position.strip(),
        referred_on=referred_on,
        note=note.strip(),
        referred_by=_actor(acting_user),
    )
    referral.place_in_grid(person.grid)
    full_clean_or_raise(referral, exclude=["district", "street", "community", "grid"])
    referral.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=referral)
    return referral


def _placed(profile: EmploymentProfile, workplace: str, day: datetime.date, note: str, acting_user) -> None:
    """A hire: the profile becomes 已就业 from `day` (one history row) at `workplace`, and its wish
    for a job is met."""
    if profile.status != EmploymentStatus.EMPLOYED:
        _change_status(profile, EmploymentStatus.EMPLOYED, day, note, acting_user)
    if profile.workplace != workplace or profile.wants_job:
        profile.workplace, profile.wants_job = workplace, False  # placed: no longer looking
        profile.save(update_fields=["workplace", "wants_job", "updated_at"])
    _sync_file(profile, acting_user)


@transaction.atomic
def job_referral_result(
    *, referral: JobReferral, result: str, result_on: datetime.date, acting_user, note: str = ""
) -> JobReferral:
    """The employer's answer. 已录用 makes the person 已就业 from that day (counted as placed)."""
    require_actor(acting_user)
    _require(acting_user, "employment.change_jobreferral")
    if not in_scope(acting_user, referral):
        raise ApplicationError(_("该推荐记录不在您的管辖范围内。"), code="out_of_scope")
    referral = (
        JobReferral.objects.select_for_update(of=("self",)).select_related("employer", "person").get(pk=referral.pk)
    )
    if referral.result != ReferralResult.PENDING:
        raise ApplicationError(
            _("该推荐已有结果“%(result)s”（%(day)s）。")
            % {"result": referral.get_result_display(), "day": referral.result_on},
            field="result",
        )
    if result not in ReferralResult.values or result == ReferralResult.PENDING:
        raise ApplicationError(_("请选择推荐结果。"), field="result")
    result_on = _past_day(result_on, "result_on", _("结果日期"))
    if result_on < referral.referred_on:
        raise ApplicationError(
            _("结果日期 %(day)s 早于推荐日期 %(referred)s。") % {"day": result_on, "referred": referral.referred_on},
            field="result_on",
        )
    referral.result, referral.result_on = result, result_on
    if note.strip():
        referral.note = note.strip()[:300]
    referral.save(update_fields=["result", "result_on", "note"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=referral, detail={"result": result})
    if result == ReferralResult.HIRED:
        profile = _locked_profile(_require_registered(referral.person), acting_user)
        text = _("经推荐被%(employer)s录用（%(position)s）") % {
            "employer": referral.employer.name,
            "position": referral.position,
        }
        _placed(profile, referral.employer.name, result_on, text, acting_user)
    return referral


@transaction.atomic
def fair_attendance_record(
    *,
    fair: JobFair,
    person: Veteran,
    acting_user,
    offers: int = 0,
    offer_employers: str = "",
    hired_on: datetime.date | None = None,
    workplace: str = "",
) -> FairAttendance:
    """A person attended a fair that has taken place; a hire from it (hired_on, on or after the
    fair's day) makes them 已就业."""
    require_actor(acting_user)
    _require(acting_user, "employment.add_fairattendance")
    _require_person(acting_user, person)
    profile = _require_registered(person)
    if not in_scope(acting_user, fair):
        raise ApplicationError(_("该招聘会不在您的管辖范围内。"), field="fair", code="out_of_scope")
    _require_local(person, fair, "fair", _("该招聘会由其他区县举办。"))
    if fair.held_on > _today():
        raise ApplicationError(
            _("招聘会于 %(day)s 举办，尚未举办，不能登记参会。") % {"day": fair.held_on}, field="fair"
        )
    if FairAttendance.objects.filter(fair=fair, person=person).exists():
        raise ApplicationError(_("%(name)s的参会情况已登记。") % {"name": person.name}, field="person")
    if offers < 0:
        raise ApplicationError(_("录用意向数不能为负数。"), field="offers")
    if hired_on is not None:
        hired_on = _past_day(hired_on, "hired_on", _("就业日期"))
        if hired_on < fair.held_on:
            raise ApplicationError(
                _("就业日期 %(day)s 早于招聘会举办日期 %(fair)s。") % {"day": hired_on, "fair": fair.held_on},
                field="hired_on",
            )
        if not workplace.strip():
            raise ApplicationError(_("请填写录用单位。"), field="workplace")
    attendance = FairAttendance(
        fair=fair,
        person=person,
        offers=offers,
        offer_employers=offer_employers.strip(),
        hired=hired_on is not None,
        hired_on=hired_on,
        recorded_by=_actor(acting_user),
    )
    attendance.place_in_grid(person.grid)
    full_clean_or_raise(attendance, exclude=["district", "street", "community", "grid"], validate_unique=False)
    attendance.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=attendance)
    if hired_on is not None:
        profile = _locked_profile(profile, acting_user)
        text = _("在%(fair)s被%(employer)s录用") % {"fair": fair.name, "employer": workplace.strip()}
        _placed(profile, workplace.strip(), hired_on, text, acting_user)
    return attendance


def follow_person_grid(*, person_id: int, grid: Grid, acting_user) -> int:
    """The person moved (veterans.services.veteran_move_grid): the registry line moves too."""
    require_actor(acting_user)
    return EmploymentProfile.objects.filter(person_id=person_id).update(
        grid=grid, community_id=grid.community_id, street_id=grid.street_id, district_id=grid.district_id
    )
