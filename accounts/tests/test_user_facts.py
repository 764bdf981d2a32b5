"""Permission sets and scopes are cached between requests (core.user_cache), and every way of
changing them takes effect on the very next request.

Tests run inside one transaction that never commits; `committed` runs what a commit would (the
new generation), as the changes here would be committed before anyone's next request."""

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from grids.models import AreaLevel, Role
from grids.roles import ROLE_GROUP_NAMES
from grids.scoping import SYSTEM
from grids.services import staff_profile_change
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits.models import Visit


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def logged_in(user):
    client = APIClient()
    client.force_login(user)  # a session: each request loads its own user object
    return client


def due_names(client):
    response = client.get("/api/visits/due/")
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def submit(client, veteran):
    payload = {"client_id": str(uuid.uuid4()), "veteran": veteran.pk, "method": "home"}
    return client.post("/api/visits/", payload, format="json")


def test_it_reads_permissions_and_scope_from_the_database_once_across_requests(tree, committed):
    with committed():
        worker = make_staff(grids=[tree["grid_a11"]])
    make_veteran(tree["grid_a11"], name="本网格")
    client = logged_in(worker)
    assert due_names(client) == {"本网格"}
    with CaptureQueriesContext(connection) as captured:
        assert due_names(client) == {"本网格"}
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "auth_permission" not in tables and "grids_staffprofile" not in tables


def test_it_applies_a_new_scope_on_the_next_request(tree, committed):
    with committed():
        worker = make_staff(grids=[tree["grid_a11"]])
    make_veteran(tree["grid_a11"], name="旧网格")
    make_veteran(tree["grid_a12"], name="新网格")
    client = logged_in(worker)
    assert due_names(client) == {"旧网格"}
    with committed():
        staff_profile_change(
            profile=worker.staff_profile,
            role=Role.GRID_WORKER,
            scope_level=AreaLevel.GRID,
            grids=[tree["grid_a12"]],
            acting_user=SYSTEM,
        )
    assert due_names(client) == {"新网格"}


def test_it_applies_a_lost_permission_on_the_next_request(tree, committed):
    with committed():
        worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client = logged_in(worker)
    assert submit(client, veteran).status_code == 200
    group = Group.objects.get(name=ROLE_GROUP_NAMES[Role.GRID_WORKER])
    add_visit = Permission.objects.get(codename="add_visit", content_type__app_label="visits")
    with committed():
        group.permissions.remove(add_visit)  # as the admin's group page does
    assert submit(client, veteran).status_code == 403
    assert Visit.objects.count() == 1


def test_it_applies_a_removed_group_on_the_next_request(tree, committed):
    with committed():
        worker = make_staff(grids=[tree["grid_a11"]])
    make_veteran(tree["grid_a11"])
    client = logged_in(worker)
    assert client.get("/api/visits/due/").status_code == 200
    with committed():
        worker.groups.clear()  # as the admin's user page does
    assert client.get("/api/visits/due/").status_code == 403


def test_it_applies_a_direct_permission_on_the_next_request(tree, committed):
    with committed():
        leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)  # may read visits, not record them
    veteran = make_veteran(tree["grid_a11"])
    client = logged_in(leader)
    assert submit(client, veteran).status_code == 403
    with committed():
        leader.user_permissions.add(Permission.objects.get(codename="add_visit", content_type__app_label="visits"))
    assert submit(client, veteran).status_code == 200


def test_it_does_not_keep_what_a_transaction_saw_before_it_rolled_back(tree, committed):
    with committed():
        worker = make_staff(grids=[tree["grid_a11"]])
    make_veteran(tree["grid_a11"], name="旧网格")
    make_veteran(tree["grid_a12"], name="新网格")
    client = logged_in(worker)
    assert due_names(client) == {"旧网格"}
    with pytest.raises(RuntimeError), transaction.atomic():
        staff_profile_change(
            profile=worker.staff_profile,
            role=Role.GRID_WORKER,
            scope_level=AreaLevel.GRID,
            grids=[tree["grid_a12"]],
            acting_user=SYSTEM,
        )
        assert due_names(client) == {"新网格"}  # this transaction sees its own change...
        raise RuntimeError("rolled back")
    assert due_names(client) == {"旧网格"}  # ...which nobody may be served once it is undone
