"""Every list costs the same number of queries however many rows it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from projects.services import evaluation_record, need_record, project_deliver, project_propose, project_review
from projects.tests.conftest import DAY

pytestmark = pytest.mark.django_db

LISTS = [
    reverse("admin:projects_serviceproject_changelist"),
    reverse("admin:projects_serviceneed_changelist"),
    reverse("admin:projects_servicedelivery_changelist"),
    reverse("admin:projects_serviceevaluation_changelist"),
    reverse("admin:projects_servedperson_changelist"),
]
API_LISTS = ["/api/service-projects/", "/api/service-needs/"]


def _rated_project(people, veterans):
    need = need_record(
        person=veterans["mine"], description="上门", source="visit", recorded_on=DAY, acting_user=people["worker"]
    )
    project = project_propose(
        title="上门", needs=[need], people=[veterans["neighbour"]], proposed_on=DAY, acting_user=people["station"]
    )
    project_review(project=project, approve=True, reviewed_on=DAY, acting_user=people["leader"])
    later = DAY + datetime.timedelta(days=2)
    project_deliver(project=project, delivered_on=later, delivered_by="卫生院", cost="1", acting_user=people["station"])
    for delivery in project.deliveries.all():
        evaluation_record(delivery=delivery, satisfaction=4, evaluated_on=later, acting_user=people["station"])


def _queries(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert fetch().status_code == 200
    return len(captured)


def test_lists_cost_the_same_for_one_row_or_many(client, people, veterans):
    client.force_login(people["station"])
    api = APIClient()
    api.force_authenticate(people["station"])
    _rated_project(people, veterans)
    few = {url: _queries(lambda url=url: client.get(url)) for url in LISTS}
    few |= {url: _queries(lambda url=url: api.get(url)) for url in API_LISTS}
    for _ in range(4):
        _rated_project(people, veterans)
    many = {url: _queries(lambda url=url: client.get(url)) for url in LISTS}
    many |= {url: _queries(lambda url=url: api.get(url)) for url in API_LISTS}
    assert many == few
