"""Each filter of the shared FilterSets, through the API that uses them."""

import pytest
from rest_framework.test import APIClient

from projects.services import need_record

pytestmark = pytest.mark.django_db


def _ids(user, url, **params):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_need_states_sources_and_dates(people, veterans, delivered, need):
    fresh = need_record(
        person=veterans["mine"],
        description="新需求",
        source="visit",
        recorded_on=need.recorded_on,
        acting_user=people["worker"],
    )
    url, user = "/api/service-needs/", people["station"]
    assert _ids(user, url, state="unplanned") == [fresh.pk]
    assert _ids(user, url, state="open") == [fresh.pk]
    assert _ids(user, url, state="answered") == [need.pk]
    assert _ids(user, url, source="visit") == [fresh.pk]
    assert set(_ids(user, url, recorded_from=need.recorded_on.isoformat())) == {need.pk, fresh.pk}
    assert _ids(user, url, project=delivered.pk) == [need.pk]


def test_project_title_status_level_and_category(people, delivered, item):
    url, user = "/api/service-projects/", people["station"]
    assert _ids(user, url, q="体检") == [delivered.pk]
    assert _ids(user, url, q="法律") == []
    assert _ids(user, url, status="delivered") == [delivered.pk]
    assert _ids(user, url, status="proposed") == []
    assert _ids(user, url, level="town", category="health") == [delivered.pk]
    assert _ids(user, url, level="county") == []
    assert _ids(user, url, proposed_to=delivered.proposed_on.isoformat()) == [delivered.pk]


def test_catalogue_by_name_category_and_active(people, item):
    url, user = "/api/service-items/", people["worker"]
    assert _ids(user, url, q="体检", category="health", active="true") == [item.pk]
    assert _ids(user, url, active="false") == []
