import uuid

from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits.models import GridActivity, MustVisitEvent, Visit


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_same_client_id_twice_gives_one_visit_and_200_both_times(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    payload = {"client_id": str(uuid.uuid4()), "veteran": veteran.pk, "method": "phone", "money": "200.00"}
    first = api(worker).post("/api/visits/", payload, format="json")
    second = api(worker).post("/api/visits/", payload, format="json")
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first["Visit-Created"], second["Visit-Created"]) == ("true", "false")
    assert first.json()["id"] == second.json()["id"]
    assert Visit.objects.count() == 1


def test_worker_cannot_log_a_visit_for_another_grid_via_api(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    other = make_veteran(tree["grid_a12"])
    response = api(worker).post(
        "/api/visits/", {"client_id": str(uuid.uuid4()), "veteran": other.pk, "method": "home"}, format="json"
    )
    assert response.status_code == 400 and "veteran" in response.json()
    assert not Visit.objects.exists()


def test_refusals_come_back_as_400_with_the_reason(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    future = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    response = api(worker).post(
        "/api/visits/",
        {"client_id": str(uuid.uuid4()), "veteran": veteran.pk, "method": "home", "visited_at": future},
        format="json",
    )
    assert response.status_code == 400 and "不能晚于现在" in response.json()["visited_at"][0]
    response = api(worker).post(
        "/api/visits/",
        {"client_id": str(uuid.uuid4()), "veteran": veteran.pk, "method": "home", "money": "-1"},
        format="json",
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_the_phones_position_goes_through_the_api(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    payload = {"client_id": str(uuid.uuid4()), "veteran": veteran.pk, "method": "home"}
    position = {"latitude": 39.12345678, "longitude": 117.2, "location_accuracy": 9.4}
    response = api(worker).post("/api/visits/", {**payload, **position}, format="json")
    assert response.status_code == 200
    assert (response.json()["latitude"], response.json()["location_accuracy"]) == ("39.123457", 10)
    visit = Visit.objects.get()
    assert (str(visit.latitude), str(visit.longitude), visit.location_accuracy) == ("39.123457", "117.200000", 10)

    bad = {"client_id": str(uuid.uuid4()), "veteran": veteran.pk, "method": "home", "latitude": 91, "longitude": 1}
    response = api(worker).post("/api/visits/", bad, format="json")
    assert response.status_code == 400 and "纬度应在 -90 到 90 之间" in response.json()["latitude"][0]
    assert Visit.objects.count() == 1


def test_visit_list_and_detail_are_scoped(tree):
    worker_a = make_staff(grids=[tree["grid_a11"]])
    worker_b = make_staff(grids=[tree["grid_a12"]])
    from visits.services import visit_record

    visit, _ = visit_record(veteran=make_veteran(tree["grid_a11"]), acting_user=worker_a, method="home")
    assert api(worker_a).get("/api/visits/").json()["count"] == 1
    assert api(worker_b).get("/api/visits/").json()["count"] == 0
    assert api(worker_b).get(f"/api/visits/{visit.pk}/").status_code == 404


def test_due_list_endpoint(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    make_veteran(tree["grid_a11"], name="应访")
    make_veteran(tree["grid_a12"], name="别处")
    rows = api(worker).get("/api/visits/due/").json()["results"]
    assert [row["name"] for row in rows] == ["应访"]
    assert rows[0]["phone"] == "138****5678"


def test_activities_and_events_through_the_api(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    today = timezone.localdate().isoformat()
    response = api(worker).post(
        "/api/activities/",
        {"grid": tree["grid_a11"].pk, "held_on": today, "kind": "lecture", "title": "政策宣讲", "participants": 40},
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = api(worker).post(
        "/api/activities/",
        {"grid": tree["grid_a12"].pk, "held_on": today, "kind": "lecture", "title": "越界", "participants": 1},
        format="json",
    )
    assert response.status_code == 400
    assert GridActivity.objects.count() == 1
    response = api(worker).post(
        "/api/must-visit-events/", {"veteran": veteran.pk, "kind": "dispute", "occurred_on": today}, format="json"
    )
    assert response.status_code == 201 and response.json()["due_by"]
    assert MustVisitEvent.objects.count() == 1


def test_submit_costs_a_fixed_number_of_queries(tree, django_assert_num_queries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the account exists (committed) before it logs in
        worker = make_staff(grids=[tree["grid_a11"]])
    veterans = [make_veteran(tree["grid_a11"]) for _ in range(2)]
    client = APIClient()
    client.force_login(worker)  # a session, as a phone has: its user is loaded on every request

    def submit(veteran):
        payload = {"client_id": str(uuid.uuid4()), "veteran": veteran.pk, "method": "home", "money": "50.00"}
        return client.post("/api/visits/", payload, format="json")

    assert submit(veterans[0]).status_code == 200  # the worker's permissions and scope are now cached
    # Session and user; then on PostgreSQL one statement (visits.quick_submit); elsewhere the
    # veteran in scope, then the visit, the form's claim, its visitor, the veteran's dates and the
    # audit row between SAVEPOINT and RELEASE (BEGIN and COMMIT outside a test).
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 10):
        response = submit(veterans[1])
    assert response.status_code == 200 and response["Visit-Created"] == "true"
    veterans[1].refresh_from_db()
    assert veterans[1].last_visit_on == timezone.localdate()
    assert veterans[1].visit_due_on == timezone.localdate() + timezone.timedelta(days=veterans[1].visit_interval_days)
