from io import StringIO

from django.core.management import call_command

from training.models import Attendance, Course, CourseStatus, Enrolment, EnrolmentStatus


def test_demo_training_has_open_and_finished_courses_attendance_and_certificates(db):
    call_command(
        "seed_demo",
        *("--streets", "2", "--communities", "4", "--grids", "8", "--veterans", "150", "--training"),
        stdout=StringIO(),
    )
    assert {CourseStatus.OPEN, CourseStatus.FINISHED} <= set(Course.objects.values_list("status", flat=True))
    assert Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED).exclude(certificate_number="").exists()
    assert Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).exists()
    assert Attendance.objects.filter(present=True).exists()
