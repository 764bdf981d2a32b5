"""The lists cost the same number of queries with one row or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from grids.scoping import SYSTEM
from party.services import followup_open, followup_step_add, life_record, membership_add
from party.tests.conftest import DAY
from veterans.tests.factories import make_veteran

URLS = [
    reverse("admin:party_followup_changelist"),
    reverse("admin:party_partymember_changelist"),
    reverse("admin:party_partyorganisation_changelist"),
    reverse("admin:party_membership_changelist"),
    reverse("admin:party_attendance_changelist"),
    "/api/party-follow-ups/",
    "/api/party-memberships/",
    "/api/party-organisations/",
]


def _more(tree, branches, n):
    for i in range(n):
        person = make_veteran(tree["grid_a11"], name=f"党员{i}", is_party_member=True, party_relation="pocket")
        follow_up = followup_open(person=person, acting_user=SYSTEM, opened_on=DAY)
        followup_step_add(follow_up=follow_up, on=DAY, kind="contact", note="电话", acting_user=SYSTEM)
        membership_add(person=person, organisation=branches["a1"], joined_on=DAY, acting_user=SYSTEM)
    life_record(organisation=branches["a1"], kind="lecture", held_on=DAY, topic="党课", acting_user=SYSTEM)


def _count(client, api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = (api if url.startswith("/api/") else client).get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", URLS)
def test_a_list_costs_the_same_with_more_rows(client, tree, members, people, branches, url):
    client.force_login(people["station"])
    api = APIClient()
    api.force_authenticate(people["station"])
    _more(tree, branches, 1)
    _count(client, api, url)  # sessions, permissions and scope cached from here on
    before = _count(client, api, url)
    _more(tree, branches, 4)
    assert _count(client, api, url) == before
