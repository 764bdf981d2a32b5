"""Every filter of the training lists (shared by the admin, the ledger and the API)."""

import datetime

import pytest

from grids.scoping import SYSTEM
from training.filters import CourseFilter, EnrolmentFilter
from training.models import Course, Enrolment
from training.services import enrolment_complete, enrolment_create, enrolment_drop


@pytest.fixture
def rows(make_course, veterans, today):
    electric, welding = make_course(title="电工技能培训"), make_course(title="焊工培训", trade="焊工")
    made = {
        "certified": enrolment_create(course=electric, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM),
        "again": enrolment_create(course=welding, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM),
        "dropped": enrolment_create(
            course=electric, veteran=veterans["neighbour"], enrolled_on=today, acting_user=SYSTEM
        ),
    }
    enrolment_complete(
        enrolment=made["certified"],
        completed_on=today,
        certificate_number="DG-1",
        certificate_on=today,
        acting_user=SYSTEM,
    )
    enrolment_drop(enrolment=made["dropped"], reason="外出务工", acting_user=SYSTEM)
    return {"electric": electric, "welding": welding, **made}


def _enrolments(params) -> set[int]:
    filterset = EnrolmentFilter(params, queryset=Enrolment.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def test_enrolment_filters(rows, veterans, today):
    pks = {key: rows[key].pk for key in ("certified", "again", "dropped")}
    assert _enrolments({"q": "周海"}) == {pks["dropped"]}
    assert _enrolments({"status": ["dropped"]}) == {pks["dropped"]}
    assert _enrolments({"course": rows["welding"].pk}) == {pks["again"]}
    assert _enrolments({"veteran": veterans["mine"].pk}) == {pks["certified"], pks["again"]}
    assert _enrolments({"street": veterans["mine"].street_id}) == set(pks.values())
    assert _enrolments({"certified": "true"}) == {pks["certified"]}
    assert _enrolments({"certified": "false"}) == {pks["again"], pks["dropped"]}
    # One row per person: the latest of the year's enrolments that count; the dropped one does not.
    assert _enrolments({"trained_year": today.year}) == {pks["again"]}
    assert _enrolments({"certified_year": today.year}) == {pks["certified"]}
    assert _enrolments({"trained_year": today.year - 1}) == set()


def test_course_filters(rows, today):
    def courses(params):
        return set(CourseFilter(params, queryset=Course.objects.all()).qs.values_list("title", flat=True))

    assert courses({"q": "焊工"}) == {"焊工培训"}
    assert courses({"status": ["open"]}) == {"电工技能培训", "焊工培训"}
    assert courses({"starts_from": (today + datetime.timedelta(days=1)).isoformat()}) == set()
    assert courses({"starts_to": today.isoformat()}) == {"电工技能培训", "焊工培训"}
