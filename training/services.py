"""The one write path of skills training: providers and courses (the district's catalogue),
enrolment, attendance, completion with certificate, dropping out. Every write checks the
actor, the permission and the scope; what the course's state or the calendar does not allow is
refused with a Chinese message naming the field."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from grids.models import District, Street
from grids.scoping import in_scope, require_actor
from training.models import (
    TAKING_PART,
    Attendance,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    TrainingProvider,
)
from training.selectors import places_taken, serves_area_of
from veterans.models import LifeStatus, Veteran

COURSE_FIELDS = (
    "provider",
    "title",
    "trade",
    "district",
    "street",
    "starts_on",
    "ends_on",
    "enrol_deadline",
    "places",
    "certificate_name",
)
PROVIDER_FIELDS = ("name", "kind", "district", "contact", "phone", "address", "active")
# The course statuses a status change may lead to, from each status.
COURSE_MOVES = {
    CourseStatus.OPEN: {CourseStatus.CLOSED, CourseStatus.FINISHED, CourseStatus.CANCELLED},
    CourseStatus.CLOSED: {CourseStatus.OPEN, CourseStatus.FINISHED, CourseStatus.CANCELLED},
    CourseStatus.FINISHED: set(),
    CourseStatus.CANCELLED: set(),
}


def _person(acting_user):
    """The account to store as who did it; a program (SYSTEM) is no account."""
    return acting_user if acting_user.pk else None


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(_("您没有办理此项培训业务的权限。"), code="forbidden")


def _require_owner_area(user, area: District | Street) -> None:
    """Providers and courses are written only by staff over the area that owns them."""
    if not in_scope(user, area):
        raise ApplicationError(_("只有负责“%(area)s”的工作人员可以办理。") % {"area": area.name}, code="forbidden")


def _not_future(day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)


def _written(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ApplicationError(message, field=field)
    return value.strip()


# Providers ---------------------------------------------------------------------------------


@transaction.atomic
def provider_save(*, provider: TrainingProvider | None = None, acting_user, **fields) -> TrainingProvider:
    """Add a provider to the district's list (provider=None) or change one."""
    require_actor(acting_user)
    creating = provider is None
    _require(acting_user, "training.add_trainingprovider" if creating else "training.change_trainingprovider")
    if not creating:
        _require_owner_area(acting_user, provider.district)
        provider = TrainingProvider.objects.select_for_update().get(pk=provider.pk)
    provider = provider or TrainingProvider()
    for name in PROVIDER_FIELDS:
        if name in fields:
            setattr(provider, name, fields[name])
    provider.name = _written(provider.name, "name", _("请填写机构名称。"))
    if provider.district_id is None:
        raise ApplicationError(_("请选择培训机构所在的区/县。"), field="district")
    _require_owner_area(acting_user, provider.district)
    full_clean_or_raise(provider)
    provider.save()
    audit_record(action=AuditAction.CREATE if creating else AuditAction.UPDATE, actor=acting_user, obj=provider)
    return provider


# Courses -----------------------------------------------------------------------------------


def _check_course(course: Course, *, taken: int) -> None:
    """The rules of a course's own fields, each refused with the field it concerns."""
    course.title = _written(course.title, "title", _("请填写培训项目。"))
    course.trade = _written(course.trade, "trade", _("请填写工种/技能。"))
    if course.provider_id is None:
        raise ApplicationError(_("请选择培训机构。"), field="provider")
    if course.district_id is None:  # a street's course belongs to the street's district
        course.district_id = (course.street if course.street_id else course.provider).district_id
    for name, label in (
        ("starts_on", _("开班日期")),
        ("ends_on", _("结业日期")),
        ("enrol_deadline", _("报名截止日期")),
    ):
        if getattr(course, name) is None:
            raise ApplicationError(_("请填写%(label)s。") % {"label": label}, field=name)
    if course.street_id is not None and course.street.district_id != course.district_id:
        raise ApplicationError(_("所选街道/镇不属于该区/县。"), field="street")
    if course.provider.district_id != course.district_id:
        raise ApplicationError(_("培训机构“%(name)s”不在该区/县。") % {"name": course.provider.name}, field="provider")
    if course.ends_on < course.starts_on:
        raise ApplicationError(_("结业日期不能早于开班日期。"), field="ends_on")
    if course.enrol_deadline > course.ends_on:
        raise ApplicationError(_("报名截止日期不能晚于结业日期。"), field="enrol_deadline")
    if course.places is not None and course.places < max(taken, 1):
        message = _("名额不能少于已报名人数（%(taken)s人）。") % {"taken": taken} if taken else _("名额至少为1人。")
        raise ApplicationError(message, field="places")


@transaction.atomic
def course_create(*, acting_user, **fields) -> Course:
    """Open a course for enrolment (报名中)."""
    require_actor(acting_user)
    _require(acting_user, "training.add_course")
    course = Course(
        created_by=_person(acting_user), status=CourseStatus.OPEN, **{k: fields.get(k) for k in COURSE_FIELDS}
    )
    course.certificate_name = (course.certificate_name or "").strip()
    _check_course(course, taken=0)
    _require_owner_area(acting_user, course.street or course.district)
    full_clean_or_raise(course)
    course.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=course)
    return course


def _locked_course(course: Course, acting_user, permission: str) -> Course:
    require_actor(acting_user)
    _require(acting_user, permission)
    _require_owner_area(acting_user, course.street or course.district)
    # Only the course's row is locked (its street may be empty: no lock on an outer join's side).
    courses = Course.objects.select_for_update(of=("self",)).select_related("provider", "district", "street")
    return courses.get(pk=course.pk)


@transaction.atomic
def course_update(*, course: Course, acting_user, **fields) -> Course:
    """Correct a course not yet finished or cancelled; places never below those taken."""
    course = _locked_course(course, acting_user, "training.change_course")
    if course.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED):
        raise ApplicationError(
            _("培训状态为“%(status)s”，不能再修改。") % {"status": course.get_status_display()}, field="status"
        )
    for name in COURSE_FIELDS:
        if name in fields:
            setattr(course, name, fields[name])
    course.certificate_name = (course.certificate_name or "").strip()
    _check_course(course, taken=places_taken(course))
    _require_owner_area(acting_user, course.street or course.district)  # a moved course stays theirs
    full_clean_or_raise(course)
    course.save()
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=course)
    return course


@transaction.atomic
def course_set_status(*, course: Course, status: str, acting_user, today: datetime.date | None = None) -> Course:
    """Close or reopen enrolment, finish the course (after its last day), or cancel it (those
    enrolled are then marked as dropped, with the reason)."""
    course = _locked_course(course, acting_user, "training.change_course")
    today = today or timezone.localdate()
    if status not in COURSE_MOVES.get(course.status, set()):
        raise ApplicationError(
            _("培训状态为“%(status)s”，不能改为“%(new)s”。")
            % {"status": course.get_status_display(), "new": dict(CourseStatus.choices).get(status, status)},
            field="status",
        )
    if status == CourseStatus.OPEN and course.enrol_deadline < today:
        raise ApplicationError(
            _("报名截止日期（%(day)s）已过，请先修改报名截止日期。") % {"day": course.enrol_deadline.isoformat()},
            field="enrol_deadline",
        )
    if status == CourseStatus.FINISHED and course.ends_on > today:
        raise ApplicationError(
            _("培训尚未结束（结业日期 %(day)s），不能结业。") % {"day": course.ends_on.isoformat()}, field="status"
        )
    if status == CourseStatus.CANCELLED:
        course.enrolments.filter(status=EnrolmentStatus.ENROLLED).update(
            status=EnrolmentStatus.DROPPED, dropped_reason=_("培训取消")
        )
    course.status = status
    course.save(update_fields=["status"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=course, detail={"status": status})
    return course


# Enrolment ---------------------------------------------------------------------------------


def _course_refusal(course: Course) -> str | None:
    """Why a course takes no one now, by its status."""
    return {
        CourseStatus.CLOSED: _("该培训已截止报名。"),
        CourseStatus.FINISHED: _("该培训已结业，不能再报名。"),
        CourseStatus.CANCELLED: _("该培训已取消，不能报名。"),
    }.get(course.status)


@transaction.atomic
def enrolment_create(*, course: Course, veteran: Veteran, enrolled_on: datetime.date, acting_user) -> Enrolment:
    """Enrol a person in an open course of their area, while places last and before its
    deadline; once per course."""
    require_actor(acting_user)
    _require(acting_user, "training.add_enrolment")
    # Out of scope or not there at all: the same words, nothing about the person.
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该退役军人不存在或不在您的管辖范围内。"), field="veteran", code="out_of_scope")
    if not in_scope(acting_user, course):
        raise ApplicationError(_("该培训不存在或不在您的管辖范围内。"), field="course", code="out_of_scope")
    if veteran.removed_at is not None or veteran.life_status != LifeStatus.ALIVE:
        raise ApplicationError(_("该档案已注销或人员已去世、迁出，不能报名。"), field="veteran")
    course = Course.objects.select_for_update().get(pk=course.pk)  # places are counted under the lock
    if refusal := _course_refusal(course):
        raise ApplicationError(refusal, field="course")
    if not serves_area_of(course, veteran):
        raise ApplicationError(_("该培训不面向该退役军人所在的区域。"), field="course")
    _not_future(enrolled_on, "enrolled_on", _("报名日期"))
    if enrolled_on > course.enrol_deadline:
        raise ApplicationError(
            _("该培训已截止报名（报名截止日期 %(day)s）。") % {"day": course.enrol_deadline.isoformat()},
            field="enrolled_on",
        )
    existing = Enrolment.objects.filter(course=course, veteran=veteran).first()
    if existing is not None:
        raise ApplicationError(
            _("该退役军人已报名这个培训（%(status)s）。") % {"status": existing.get_status_display()}, field="veteran"
        )
    taken = places_taken(course)
    if taken >= course.places:
        raise ApplicationError(_("该培训名额已满（%(places)s人）。") % {"places": course.places}, field="course")
    enrolment = Enrolment(course=course, veteran=veteran, enrolled_on=enrolled_on, enrolled_by=_person(acting_user))
    enrolment.place_in_grid(veteran.grid)
    full_clean_or_raise(enrolment, exclude=["district", "street", "community", "grid"], validate_constraints=False)
    enrolment.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=enrolment)
    return enrolment


def _locked_enrolment(enrolment: Enrolment, acting_user, permission: str, allowed: tuple[str, ...]) -> Enrolment:
    require_actor(acting_user)
    _require(acting_user, permission)
    if not in_scope(acting_user, enrolment):
        raise ApplicationError(_("该报名记录不存在或不在您的管辖范围内。"), code="out_of_scope")
    locked = Enrolment.objects.select_for_update(of=("self",)).select_related("course", "veteran").get(pk=enrolment.pk)
    if locked.status not in allowed:
        raise ApplicationError(
            _("报名状态为“%(status)s”，不能进行此操作。") % {"status": locked.get_status_display()}, field="status"
        )
    return locked


def _within_course(day: datetime.date, course: Course, field: str, label: str) -> None:
    if not course.starts_on <= day <= course.ends_on:
        raise ApplicationError(
            _("%(label)s须在培训期间（%(start)s至%(end)s）。")
            % {"label": label, "start": course.starts_on.isoformat(), "end": course.ends_on.isoformat()},
            field=field,
        )


@transaction.atomic
def attendance_record(*, enrolment: Enrolment, day: datetime.date, present: bool, acting_user) -> Attendance:
    """Record (or correct) whether the person came on a day of the course."""
    enrolment = _locked_enrolment(enrolment, acting_user, "training.add_attendance", TAKING_PART)
    _not_future(day, "day", _("出勤日期"))
    _within_course(day, enrolment.course, "day", _("出勤日期"))
    attendance, created = Attendance.objects.update_or_create(
        enrolment=enrolment, day=day, defaults={"present": bool(present), "recorded_by": _person(acting_user)}
    )
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=acting_user,
        obj=enrolment,
        detail={"attendance": day.isoformat(), "present": bool(present)},
    )
    return attendance


@transaction.atomic
def enrolment_complete(
    *,
    enrolment: Enrolment,
    completed_on: datetime.date,
    acting_user,
    certificate_number: str = "",
    certificate_on: datetime.date | None = None,
) -> Enrolment:
    """The person finished the course (结业), with the certificate if one was earned. Called
    again on a completed enrolment, it adds or corrects the certificate."""
    enrolment = _locked_enrolment(enrolment, acting_user, "training.change_enrolment", TAKING_PART)
    course = enrolment.course
    _not_future(completed_on, "completed_on", _("结业日期"))
    if completed_on < course.starts_on:
        raise ApplicationError(
            _("结业日期不能早于开班日期（%(day)s）。") % {"day": course.starts_on.isoformat()}, field="completed_on"
        )
    certificate_number = (certificate_number or "").strip()
    if bool(certificate_number) != (certificate_on is not None):
        field = "certificate_on" if certificate_number else "certificate_number"
        raise ApplicationError(_("证书编号和发证日期须同时填写。"), field=field)
    if certificate_on is not None:
        _not_future(certificate_on, "certificate_on", _("发证日期"))
        if certificate_on < course.starts_on:
            raise ApplicationError(
                _("发证日期不能早于开班日期（%(day)s）。") % {"day": course.starts_on.isoformat()},
                field="certificate_on",
            )
    enrolment.status, enrolment.completed_on = EnrolmentStatus.COMPLETED, completed_on
    enrolment.certificate_number, enrolment.certificate_on = certificate_number, certificate_on
    enrolment.save(update_fields=["status", "completed_on", "certificate_number", "certificate_on"])
    detail = {"status": enrolment.status, "certificate": certificate_number}
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=enrolment, detail=detail)
    return enrolment


@transaction.atomic
def enrolment_drop(*, enrolment: Enrolment, reason: str, acting_user) -> Enrolment:
    """The person left the course: the place is freed, the row kept with the reason."""
    enrolment = _locked_enrolment(enrolment, acting_user, "training.change_enrolment", (EnrolmentStatus.ENROLLED,))
    enrolment.dropped_reason = _written(reason, "dropped_reason", _("请填写退出原因。"))[:200]
    enrolment.status = EnrolmentStatus.DROPPED
    enrolment.save(update_fields=["status", "dropped_reason"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=enrolment, detail={"status": enrolment.status})
    return enrolment
