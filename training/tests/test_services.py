"""Enrolment, attendance and completion: each refusal says what and where, and writes nothing."""

import datetime

import pytest

from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.scoping import SYSTEM
from training.models import Attendance, CourseStatus, Enrolment, EnrolmentStatus
from training.selectors import attendance_rate, enrolment_list_for
from training.services import (
    attendance_record,
    course_create,
    course_set_status,
    course_update,
    enrolment_complete,
    enrolment_create,
    enrolment_drop,
)

DAY = datetime.timedelta(days=1)


def _refused(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value


def test_worker_enrols_a_person_of_their_grid(course, veterans, people, today):
    enrolment = enrolment_create(
        course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=people["worker"]
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.grid_id == veterans["mine"].grid_id and enrolment.street_id == veterans["mine"].street_id
    assert AuditEvent.objects.filter(object_type="training.enrolment", object_id=str(enrolment.pk)).exists()


def test_worker_cannot_enrol_a_person_of_another_grid_and_learns_nothing(course, veterans, people, today):
    error = _refused(
        enrolment_create, course=course, veteran=veterans["theirs"], enrolled_on=today, acting_user=people["worker"]
    )
    assert error.code == "out_of_scope" and "李长青" not in error.message
    assert error.message == "该退役军人不存在或不在您的管辖范围内。"
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [("closed", "该培训已截止报名。"), ("cancelled", "该培训已取消，不能报名。")],
)
def test_a_closed_or_cancelled_course_takes_no_one(course, veterans, people, today, status, message):
    course_set_status(course=course, status=status, acting_user=people["center"])
    error = _refused(enrolment_create, course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    assert (error.message, error.field) == (message, "course")
    assert not Enrolment.objects.exists()


def test_a_finished_course_takes_no_one(make_course, veterans, people, today):
    course = make_course(started=30, length=10, deadline_in=-25)
    course_set_status(course=course, status=CourseStatus.FINISHED, acting_user=people["center"])
    error = _refused(enrolment_create, course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    assert error.message == "该培训已结业，不能再报名。"


def test_enrolment_after_the_deadline_is_refused(make_course, veterans, today):
    course = make_course(deadline_in=-1)
    error = _refused(enrolment_create, course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    assert error.field == "enrolled_on" and error.message.startswith("该培训已截止报名（报名截止日期")
    # Recorded late, on a day before the deadline, it is taken.
    assert enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today - 2 * DAY, acting_user=SYSTEM)


def test_a_full_course_refuses_and_a_dropped_place_is_free_again(make_course, veterans, today):
    course = make_course(places=1)
    first = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    error = _refused(
        enrolment_create, course=course, veteran=veterans["neighbour"], enrolled_on=today, acting_user=SYSTEM
    )
    assert error.message == "该培训名额已满（1人）。"
    enrolment_drop(enrolment=first, reason="外出务工", acting_user=SYSTEM)
    assert enrolment_create(course=course, veteran=veterans["neighbour"], enrolled_on=today, acting_user=SYSTEM)


def test_enrolling_twice_is_refused(course, veterans, today):
    enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    error = _refused(enrolment_create, course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    assert error.message == "该退役军人已报名这个培训（在训）。" and error.field == "veteran"
    assert Enrolment.objects.count() == 1


def test_a_street_course_takes_only_that_streets_people(make_course, tree, veterans, people, today):
    course = make_course(street=tree["street_a"], by=people["station"])
    error = _refused(enrolment_create, course=course, veteran=veterans["theirs"], enrolled_on=today, acting_user=SYSTEM)
    assert error.message == "该培训不面向该退役军人所在的区域。"


def test_future_enrolment_day_is_refused(course, veterans, today):
    error = _refused(
        enrolment_create, course=course, veteran=veterans["mine"], enrolled_on=today + DAY, acting_user=SYSTEM
    )
    assert (error.field, error.message) == ("enrolled_on", "报名日期不能晚于今天。")


def test_a_course_cannot_end_before_it_starts(make_course):
    with pytest.raises(ApplicationError) as caught:
        make_course(started=0, length=-1, deadline_in=-2)
    assert (caught.value.field, caught.value.message) == ("ends_on", "结业日期不能早于开班日期。")


def test_a_deadline_after_the_end_is_refused(make_course):
    with pytest.raises(ApplicationError) as caught:
        make_course(started=7, length=3, deadline_in=5)
    assert caught.value.field == "enrol_deadline"


def test_a_street_station_cannot_create_a_district_course(tree, people, provider, today):
    error = _refused(
        course_create,
        provider=provider,
        title="焊工培训",
        trade="焊工",
        district=tree["district"],
        starts_on=today,
        ends_on=today,
        enrol_deadline=today,
        places=5,
        acting_user=people["station"],
    )
    assert error.code == "forbidden"


def test_places_cannot_drop_below_those_taken(course, veterans, people, today):
    for key in ("mine", "neighbour"):
        enrolment_create(course=course, veteran=veterans[key], enrolled_on=today, acting_user=SYSTEM)
    error = _refused(course_update, course=course, places=1, acting_user=people["center"])
    assert (error.field, error.message) == ("places", "名额不能少于已报名人数（2人）。")


def test_cancelling_a_course_drops_those_enrolled(course, veterans, people, today):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    course_set_status(course=course, status=CourseStatus.CANCELLED, acting_user=people["center"])
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.dropped_reason) == (EnrolmentStatus.DROPPED, "培训取消")


def test_a_course_is_finished_only_after_its_last_day(course, people):
    error = _refused(course_set_status, course=course, status=CourseStatus.FINISHED, acting_user=people["center"])
    assert error.message.startswith("培训尚未结束")
    course.refresh_from_db()
    assert course.status == CourseStatus.OPEN


def test_attendance_is_recorded_once_a_day_and_gives_the_rate(course, veterans, people, today):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    for back, present in ((3, True), (2, False), (1, True), (1, True)):
        attendance_record(enrolment=enrolment, day=today - back * DAY, present=present, acting_user=people["station"])
    assert Attendance.objects.filter(enrolment=enrolment).count() == 3
    listed = enrolment_list_for(user=people["station"]).get(pk=enrolment.pk)
    assert str(attendance_rate(listed)) == "66.7" and str(attendance_rate(enrolment)) == "66.7"


@pytest.mark.parametrize(("offset", "message"), [(8, "出勤日期须在培训期间"), (-1, "出勤日期不能晚于今天。")])
def test_attendance_outside_the_course_or_in_the_future_is_refused(course, veterans, today, offset, message):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    error = _refused(attendance_record, enrolment=enrolment, day=today - offset * DAY, present=True, acting_user=SYSTEM)
    assert error.field == "day" and error.message.startswith(message)
    assert not Attendance.objects.exists()


def test_another_streets_station_cannot_record_attendance(course, veterans, people, today):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    error = _refused(
        attendance_record, enrolment=enrolment, day=today, present=True, acting_user=people["other_station"]
    )
    assert error.code == "out_of_scope" and "王德顺" not in error.message


def test_completion_with_certificate(course, veterans, people, today):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    enrolment_complete(
        enrolment=enrolment,
        completed_on=today,
        certificate_number="DG-2026-001",
        certificate_on=today,
        acting_user=people["station"],
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.certificate_number) == (EnrolmentStatus.COMPLETED, "DG-2026-001")


@pytest.mark.parametrize(
    ("number", "day_back", "field", "message"),
    [
        ("DG-1", -1, "certificate_on", "发证日期不能晚于今天。"),
        ("DG-1", 8, "certificate_on", "发证日期不能早于开班日期"),
        ("DG-1", None, "certificate_on", "证书编号和发证日期须同时填写。"),
        ("", 0, "certificate_number", "证书编号和发证日期须同时填写。"),
    ],
)
def test_impossible_certificates_are_refused(course, veterans, today, number, day_back, field, message):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    certificate_on = None if day_back is None else today - day_back * DAY
    error = _refused(
        enrolment_complete,
        enrolment=enrolment,
        completed_on=today,
        certificate_number=number,
        certificate_on=certificate_on,
        acting_user=SYSTEM,
    )
    assert error.field == field and error.message.startswith(message)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_a_dropped_enrolment_cannot_be_completed(course, veterans, today):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    enrolment_drop(enrolment=enrolment, reason="身体原因", acting_user=SYSTEM)
    error = _refused(enrolment_complete, enrolment=enrolment, completed_on=today, acting_user=SYSTEM)
    assert error.message == "报名状态为“已退出”，不能进行此操作。"


def test_a_grid_worker_may_not_complete(course, veterans, people, today):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    error = _refused(enrolment_complete, enrolment=enrolment, completed_on=today, acting_user=people["worker"])
    assert error.code == "forbidden"
