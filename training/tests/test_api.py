"""The training API: courses of the district, enrolments of the caller's area, each step through
the services; other areas' rows answer as if they did not exist."""

import datetime

import pytest
from rest_framework.test import APIClient

from grids.scoping import SYSTEM
from training.models import Enrolment, EnrolmentStatus
from training.services import enrolment_create

DAY = datetime.timedelta(days=1)


@pytest.fixture
def api():
    def signed_in(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return signed_in


def test_a_worker_lists_the_districts_courses_with_places_taken(api, course, veterans, people, today):
    enrolment_create(course=course, veteran=veterans["theirs"], enrolled_on=today, acting_user=SYSTEM)
    data = api(people["worker"]).get("/api/trainings/").json()
    assert [(row["title"], row["places_taken"]) for row in data["results"]] == [("电工技能培训", 1)]


def test_a_worker_enrols_through_the_api_and_sees_only_their_grid(api, course, veterans, people, today):
    client = api(people["worker"])
    response = client.post(
        "/api/training-enrolments/",
        {"course": course.pk, "veteran": veterans["mine"].pk, "enrolled_on": today.isoformat()},
        format="json",
    )
    assert response.status_code == 201 and response.json()["veteran_name"] == "王德顺"
    enrolment_create(course=course, veteran=veterans["theirs"], enrolled_on=today, acting_user=SYSTEM)
    names = [row["veteran_name"] for row in client.get("/api/training-enrolments/").json()["results"]]
    assert names == ["王德顺"]


def test_enrolling_someone_outside_answers_as_if_absent(api, course, veterans, people, today):
    response = api(people["worker"]).post(
        "/api/training-enrolments/",
        {"course": course.pk, "veteran": veterans["theirs"].pk, "enrolled_on": today.isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "李长青" not in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_full_course_answers_400_with_the_message(api, make_course, veterans, people, today):
    course = make_course(places=1)
    enrolment_create(course=course, veteran=veterans["neighbour"], enrolled_on=today, acting_user=SYSTEM)
    response = api(people["station"]).post(
        "/api/training-enrolments/",
        {"course": course.pk, "veteran": veterans["mine"].pk, "enrolled_on": today.isoformat()},
        format="json",
    )
    assert response.status_code == 400 and response.json() == {"course": ["该培训名额已满（1人）。"]}


def test_attendance_and_completion_steps(api, course, veterans, people, today):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    client = api(people["station"])
    url = f"/api/training-enrolments/{enrolment.pk}/"
    assert (
        client.post(url + "attendance/", {"day": today.isoformat(), "present": True}, format="json").status_code == 200
    )
    late = client.post(url + "attendance/", {"day": (today + DAY).isoformat(), "present": True}, format="json")
    assert late.status_code == 400 and late.json() == {"day": ["出勤日期不能晚于今天。"]}
    done = client.post(
        url + "complete/",
        {"completed_on": today.isoformat(), "certificate_number": "DG-7", "certificate_on": today.isoformat()},
        format="json",
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["attendance_rate"]) == (EnrolmentStatus.COMPLETED, "100.0")


def test_another_streets_enrolment_is_not_found(api, course, veterans, people, today):
    enrolment = enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    client = api(people["other_station"])
    assert client.get(f"/api/training-enrolments/{enrolment.pk}/").status_code == 404
    response = client.post(f"/api/training-enrolments/{enrolment.pk}/drop/", {"reason": "越界"}, format="json")
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_a_station_creates_a_course_and_a_worker_may_not(api, tree, provider, people, today):
    body = {
        "provider": provider.pk,
        "title": "养老护理员培训",
        "trade": "养老护理",
        "street": tree["street_a"].pk,
        "starts_on": today.isoformat(),
        "ends_on": today.isoformat(),
        "enrol_deadline": today.isoformat(),
        "places": 10,
    }
    assert api(people["worker"]).post("/api/trainings/", body, format="json").status_code == 403
    response = api(people["station"]).post("/api/trainings/", body, format="json")
    assert response.status_code == 201 and response.json()["district"] == tree["district"].pk


def test_providers_of_another_district_are_not_listed(api, provider, people):
    from grids.models import Role
    from grids.tests.factories import StreetFactory, make_staff

    outsider = make_staff(StreetFactory(name="外区街道").district, role=Role.STATION_STAFF)
    assert api(outsider).get("/api/training-providers/").json()["results"] == []
    assert [row["name"] for row in api(people["station"]).get("/api/training-providers/").json()["results"]] == [
        "区职业技术学校"
    ]


def test_trained_year_lists_one_row_per_person(api, make_course, veterans, people, today):
    for title in ("电工", "焊工"):
        course = make_course(title=f"{title}培训")
        enrolment_create(course=course, veteran=veterans["mine"], enrolled_on=today, acting_user=SYSTEM)
    data = api(people["station"]).get("/api/training-enrolments/", {"trained_year": today.year}).json()
    assert data["count"] == 1
