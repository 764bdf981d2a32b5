"""Reads of skills training, always inside the user's scope first."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, QuerySet

from grids.scoping import scope_queryset
from training.models import TAKING_PART, Course, CourseStatus, Enrolment, TrainingProvider
from veterans.models import Veteran


def providers_for(*, user) -> QuerySet[TrainingProvider]:
    # The catalogue's scope joins through the district's areas: a worker of two grids would
    # get a row twice, so the rows are chosen by id.
    return TrainingProvider.objects.filter(pk__in=scope_queryset(user, TrainingProvider.objects.all()).values("pk"))


def courses_for(*, user) -> QuerySet[Course]:
    return Course.objects.filter(pk__in=scope_queryset(user, Course.objects.all()).values("pk"))


def course_list_for(*, user) -> QuerySet[Course]:
    """Courses with their provider and the places taken (everyone's: a count, not people)."""
    taken = Count("enrolments", filter=Q(enrolments__status__in=TAKING_PART))
    return courses_for(user=user).select_related("provider", "district", "street").annotate(taken=taken)


def open_courses_for(*, user, veteran, today: datetime.date) -> QuerySet[Course]:
    """Courses the person may join today: open, before the deadline, of their district or street."""
    return (
        course_list_for(user=user)
        .filter(status=CourseStatus.OPEN, enrol_deadline__gte=today, district_id=veteran.district_id)
        .filter(Q(street__isnull=True) | Q(street_id=veteran.street_id))
        .order_by("starts_on", "id")
    )


def places_taken(course: Course) -> int:
    return course.enrolments.filter(status__in=TAKING_PART).count()


def serves_area_of(course: Course, veteran: Veteran) -> bool:
    """A district course takes the district's people; a street course only that street's."""
    if course.district_id != veteran.district_id:
        return False
    return course.street_id is None or course.street_id == veteran.street_id


def enrolments_for(*, user) -> QuerySet[Enrolment]:
    return scope_queryset(user, Enrolment.objects.all())


def with_attendance(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Days recorded and days present, for the attendance rate."""
    return enrolments.annotate(
        days_recorded=Count("attendance"), days_present=Count("attendance", filter=Q(attendance__present=True))
    )


def enrolment_list_for(*, user) -> QuerySet[Enrolment]:
    related = ("veteran", "course", "course__provider", "street", "community", "grid")
    return with_attendance(enrolments_for(user=user).select_related(*related))


def attendance_rate(enrolment: Enrolment) -> Decimal | None:
    """Present days over recorded days, in percent with one decimal; None before any record."""
    recorded = getattr(enrolment, "days_recorded", None)
    if recorded is None:
        recorded = enrolment.attendance.count()
        present = enrolment.attendance.filter(present=True).count()
    else:
        present = enrolment.days_present
    if not recorded:
        return None
    return (Decimal(present) * 100 / Decimal(recorded)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The board's figures count people, not enrolments: each person stands for one row, their
# latest enrolment of the year that qualifies. The dashboard counts those rows per area and its
# link lists exactly them (admin filter `trained_year` / `certified_year`).


def trained_in_year_q(year: int) -> Q:
    """Enrolled in `year` and took part (not dropped: a cancelled course drops its people)."""
    return Q(enrolled_on__year=year, status__in=TAKING_PART)


def certified_in_year_q(year: int) -> Q:
    return Q(certificate_on__year=year) & ~Q(certificate_number="")


def one_row_per_person(condition: Q) -> QuerySet:
    """Ids of each person's latest enrolment among those meeting `condition`."""
    latest = Enrolment.objects.filter(condition).order_by().values("veteran_id").annotate(last=Max("id"))
    return latest.values("last")
