"""The plain submit answered without DRF's dispatch (visits.api_plain_submit): the same answer
and the same rows as DRF's path, and every request that is not plain still served by DRF."""

import base64
import json
import uuid
from unittest import mock

import pytest
from django.test import override_settings
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient
from rest_framework.views import APIView

from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits.api import VisitSerializer
from visits.models import Visit


@pytest.fixture
def worker(tree):
    return make_staff(grids=[tree["grid_a11"]])


def session_of(user, *, csrf_checks=False):
    client = APIClient(enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    return client


def payload(veteran, **extra):
    return {"client_id": str(uuid.uuid4()), "veteran": veteran.pk, "method": "home", **extra}


@pytest.fixture
def drf_dispatch():
    """Counts how often DRF's own dispatch served a request."""
    with mock.patch.object(APIView, "dispatch", autospec=True, side_effect=APIView.dispatch) as spy:
        yield spy


def test_plain_submit_is_answered_without_drf_and_shows_the_stored_visit(tree, worker, drf_dispatch):
    veteran = make_veteran(tree["grid_a11"])
    form = payload(veteran, findings="身体健康", money="120.50", visited_at="2026-01-05T09:30:00+08:00")
    response = session_of(worker).post("/api/visits/", form, format="json")
    assert response.status_code == 200 and response["Visit-Created"] == "true"
    assert drf_dispatch.call_count == 0
    visit = Visit.objects.select_related("veteran", "grid", "recorded_by").get()
    # Byte for byte what DRF's renderer makes of the stored row.
    assert response.content == JSONRenderer().render(VisitSerializer(visit).data)
    assert (str(visit.client_id), visit.findings, str(visit.money)) == (form["client_id"], "身体健康", "120.50")
    assert list(visit.visitors.values_list("pk", flat=True)) == [worker.pk]


def test_plain_and_drf_paths_store_the_same_visit(tree, worker, drf_dispatch):
    first, second = make_veteran(tree["grid_a11"]), make_veteran(tree["grid_a11"])
    plain = session_of(worker).post("/api/visits/", payload(first, needs="助餐"), format="json")
    token_like = APIClient()
    token_like.force_authenticate(worker)  # no session: DRF's path
    full = token_like.post("/api/visits/", payload(second, needs="助餐"), format="json")
    assert drf_dispatch.call_count == 1
    shown = [plain.json(), full.json()]
    for answer in shown:
        for varying in ("id", "client_id", "veteran", "veteran_name", "visited_at", "created_at"):
            answer.pop(varying)
    assert shown[0] == shown[1]


@pytest.mark.parametrize(
    "extra",
    [
        {"kind": "must_visit", "event_kind": "illness"},  # a field the plain form does not carry
        {"latitude": 39.1, "longitude": 117.2},
        {"method": "carrier_pigeon"},  # an invalid value: DRF words the error
        {"money": "-5"},
        {"visited_at": "2026-13-45"},
    ],
)
def test_anything_but_the_plain_form_goes_through_drf(tree, worker, drf_dispatch, extra):
    veteran = make_veteran(tree["grid_a11"])
    response = session_of(worker).post("/api/visits/", payload(veteran, **extra), format="json")
    assert drf_dispatch.call_count == 1
    assert response.status_code in (200, 400)


def test_an_invalid_plain_form_gets_drfs_own_error(tree, worker):
    veteran = make_veteran(tree["grid_a11"])
    response = session_of(worker).post("/api/visits/", payload(veteran, method="carrier_pigeon"), format="json")
    assert response.status_code == 400 and list(response.json()) == ["method"]
    assert not Visit.objects.exists()


def test_a_session_post_without_csrf_token_is_refused(tree, worker, drf_dispatch):
    veteran = make_veteran(tree["grid_a11"])
    response = session_of(worker, csrf_checks=True).post("/api/visits/", payload(veteran), format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert drf_dispatch.call_count == 1
    assert not Visit.objects.exists()


def test_another_grids_veteran_is_refused_as_on_drfs_path(tree, worker, drf_dispatch):
    other = make_veteran(tree["grid_a12"])
    response = session_of(worker).post("/api/visits/", payload(other), format="json")
    assert response.status_code == 400 and list(response.json()) == ["veteran"]
    assert not Visit.objects.exists()


def test_a_replayed_form_is_answered_with_the_first_visit(tree, worker):
    veteran = make_veteran(tree["grid_a11"])
    form, client = payload(veteran), session_of(worker)
    first = client.post("/api/visits/", form, format="json")
    second = client.post("/api/visits/", form, format="json")
    assert (first["Visit-Created"], second["Visit-Created"]) == ("true", "false")
    assert first.json() == second.json()
    assert Visit.objects.count() == 1


@override_settings(OTP_REQUIRED_ROLES=[])  # a leader without an authenticator, for this test
def test_a_user_without_the_permission_is_refused(tree, drf_dispatch):
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)  # sees visits, records none
    veteran = make_veteran(tree["grid_a11"])
    response = session_of(leader).post("/api/visits/", payload(veteran), format="json")
    assert response.status_code == 403
    assert drf_dispatch.call_count == 1
    assert not Visit.objects.exists()


def test_basic_auth_and_query_strings_go_through_drf(tree, worker, drf_dispatch):
    veteran = make_veteran(tree["grid_a11"])
    client = session_of(worker)
    client.post("/api/visits/?format=json", payload(veteran), format="json")
    basic = base64.b64encode(b"nobody:wrong").decode()
    client.post("/api/visits/", json.dumps(payload(veteran)), content_type="application/json",
                HTTP_AUTHORIZATION=f"Basic {basic}")  # fmt: skip
    assert drf_dispatch.call_count == 2
