"""The lists' query counts do not grow with their rows: the selectors own select_related and the
attendance counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from grids.scoping import SYSTEM
from training.services import attendance_record, enrolment_create
from veterans.tests.factories import make_veteran

LISTS = [
    ("admin", "/admin/training/enrolment/"),
    ("admin", "/admin/training/course/"),
    ("api", "/api/training-enrolments/"),
    ("api", "/api/trainings/"),
]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _enrol_more(make_course, tree, today, count):
    course = make_course(title=f"培训{count}")
    for _ in range(count):
        enrolment = enrolment_create(
            course=course, veteran=make_veteran(tree["grid_a11"]), enrolled_on=today, acting_user=SYSTEM
        )
        attendance_record(enrolment=enrolment, day=today, present=True, acting_user=SYSTEM)


@pytest.mark.parametrize(("kind", "url"), LISTS)
def test_the_list_costs_the_same_queries_for_more_rows(client, make_course, tree, people, today, kind, url):
    if kind == "api":
        client = APIClient()
        client.force_authenticate(people["station"])
    else:
        client.force_login(people["station"])
    _enrol_more(make_course, tree, today, 2)
    _queries(client, url)  # the first request also loads the user's permissions
    few = _queries(client, url)
    _enrol_more(make_course, tree, today, 5)
    assert _queries(client, url) == few
