"""The station's training desk in the admin: courses with places taken, enrolment through the
service, attendance and the certificate on the enrolment page, the filters and the ledger."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from exports.tests.helpers import direct_and_background, forged_rows
from grids.scoping import SYSTEM
from training.models import Attendance, Course, Enrolment, EnrolmentStatus
from training.services import attendance_record, enrolment_complete, enrolment_create

DAY = datetime.timedelta(days=1)


def _enrol(course, veteran, today, **done):
    enrolment = enrolment_create(course=course, veteran=veteran, enrolled_on=today, acting_user=SYSTEM)
    if done:
        enrolment_complete(enrolment=enrolment, completed_on=today, acting_user=SYSTEM, **done)
    return enrolment


def test_a_street_station_creates_a_course_of_its_street(client, tree, people, provider, today):
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:training_course_add"),
        {
            "provider": provider.pk,
            "title": "中式烹调师培训",
            "trade": "中式烹调",
            "street": tree["street_a"].pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + 10 * DAY).isoformat(),
            "enrol_deadline": today.isoformat(),
            "places": "20",
            "certificate_name": "中式烹调师（五级）",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    course = Course.objects.get(title="中式烹调师培训")
    assert (course.district_id, course.street_id, course.status) == (tree["district"].pk, tree["street_a"].pk, "open")


def test_a_course_ending_before_it_starts_is_refused_on_the_form(client, tree, people, provider, today):
    client.force_login(people["center"])
    response = client.post(
        reverse("admin:training_course_add"),
        {
            "provider": provider.pk,
            "title": "焊工培训",
            "trade": "焊工",
            "district": tree["district"].pk,
            "starts_on": today.isoformat(),
            "ends_on": (today - DAY).isoformat(),
            "enrol_deadline": (today - 2 * DAY).isoformat(),
            "places": "20",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "结业日期不能早于开班日期。" in response.content.decode()
    assert not Course.objects.filter(title="焊工培训").exists()


def test_the_course_list_shows_places_taken_and_the_inline_only_in_scope(client, course, veterans, people, today):
    _enrol(course, veterans["mine"], today)
    _enrol(course, veterans["theirs"], today)
    client.force_login(people["station"])
    page = client.get(reverse("admin:training_course_changelist")).content.decode()
    assert "2/30" in page
    change = client.get(reverse("admin:training_course_change", args=[course.pk])).content.decode()
    assert "王德顺" in change and "李长青" not in change


def test_the_station_enrols_records_attendance_and_the_certificate(client, course, veterans, people, today):
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:training_enrolment_add"),
        {"course": course.pk, "veteran": veterans["mine"].pk, "enrolled_on": today.isoformat()},
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    response = client.post(
        reverse("admin:training_enrolment_change", args=[enrolment.pk]),
        {
            "status": "completed",
            "completed_on": today.isoformat(),
            "certificate_number": "DG-0001",
            "certificate_on": today.isoformat(),
            "dropped_reason": "",
            "attendance-TOTAL_FORMS": "1",
            "attendance-INITIAL_FORMS": "0",
            "attendance-0-day": (today - DAY).isoformat(),
            "attendance-0-present": "on",
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.certificate_number) == (EnrolmentStatus.COMPLETED, "DG-0001")
    assert Attendance.objects.get().present is True


def test_an_attendance_day_outside_the_course_is_refused_on_the_form(client, course, veterans, people, today):
    enrolment = _enrol(course, veterans["mine"], today)
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:training_enrolment_change", args=[enrolment.pk]),
        {
            "status": "enrolled",
            "attendance-TOTAL_FORMS": "1",
            "attendance-INITIAL_FORMS": "0",
            "attendance-0-day": (today - 30 * DAY).isoformat(),
            "attendance-0-present": "on",
        },
    )
    assert response.status_code == 200 and "出勤日期须在培训期间" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_enrolment_list_filters_and_searches(client, course, veterans, people, today):
    _enrol(course, veterans["mine"], today, certificate_number="DG-1", certificate_on=today)
    _enrol(course, veterans["neighbour"], today)
    client.force_login(people["station"])
    url = reverse("admin:training_enrolment_changelist")
    assert client.get(url).context["cl"].result_count == 2
    assert client.get(url, {"certified_year": today.year}).context["cl"].result_count == 1
    assert client.get(url, {"status__exact": "enrolled"}).context["cl"].result_count == 1
    assert client.get(url, {"q": "周海涛"}).context["cl"].result_count == 1
    assert client.get(url, {"community": veterans["mine"].community_id}).context["cl"].result_count == 2


def test_another_streets_station_sees_none_of_these_enrolments(client, course, veterans, people, today):
    enrolment = _enrol(course, veterans["mine"], today)
    client.force_login(people["other_station"])
    assert client.get(reverse("admin:training_enrolment_changelist")).context["cl"].result_count == 0
    response = client.get(reverse("admin:training_enrolment_change", args=[enrolment.pk]))
    assert response.status_code == 302 and "王德顺" not in response.content.decode()


def test_the_ledger_holds_the_users_area_with_its_information_sheet(client, course, veterans, people, today):
    enrolment = _enrol(course, veterans["mine"], today, certificate_number="DG-9", certificate_on=today)
    attendance_record(enrolment=enrolment, day=today, present=True, acting_user=SYSTEM)
    _enrol(course, veterans["theirs"], today)
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:training_enrolment_changelist"),
        {"action": "export_ledger", "_selected_action": list(Enrolment.objects.values_list("pk", flat=True))},
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert "导出信息" in book.sheetnames
    rows = [row for row in book.worksheets[0].iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert len(rows) == 1 and "王德顺" in rows[0] and "DG-9" in rows[0]


def test_a_big_ledger_is_built_in_the_background_as_the_file_would_be(
    client, course, veterans, people, today, settings, django_capture_on_commit_callbacks
):
    enrolment = _enrol(course, veterans["mine"], today, certificate_number="DG-9", certificate_on=today)
    attendance_record(enrolment=enrolment, day=today, present=True, acting_user=SYSTEM)
    _enrol(course, veterans["neighbour"], today)
    _enrol(course, veterans["theirs"], today)
    client.force_login(people["station"])
    everything = {"action": "export_ledger", "_selected_action": list(Enrolment.objects.values_list("pk", flat=True))}
    direct, background, job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:training_enrolment_changelist"), everything),
    )
    assert background == direct and job.ledger == "training"
    assert {row[2] for row in background[1:]} == {"王德顺", "周海涛"}
    assert {row[13] for row in background[1:]} == {100, None}  # attendance read with the rows
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="training",
        queryset=Enrolment.objects.all(),
        user=people["station"],
    )
    assert {row[2] for row in forged[1:]} == {"王德顺", "周海涛"}  # not the other street's
