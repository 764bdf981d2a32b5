from rest_framework.test import APIClient

from audit.models import AuditEvent
from confirmations.models import Confirmation, ConfirmationStatus
from confirmations.tests.conftest import YEAR


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _row(veteran):
    return Confirmation.objects.get(veteran=veteran, year=YEAR)


def test_the_api_lists_the_callers_area_only_filtered_by_year_and_state(round_, people, veterans):
    listing = _api(people["station"]).get("/api/confirmations/", {"year": YEAR})
    assert listing.status_code == 200
    assert {row["veteran_name"] for row in listing.json()["results"]} == {"王德顺", "赵援朝"}
    assert _api(people["leader"]).get("/api/confirmations/").json()["count"] == 3
    assert _api(people["station"]).get("/api/confirmations/", {"year": YEAR + 1}).json()["count"] == 0
    confirmed = _api(people["station"]).get("/api/confirmations/", {"state": "confirmed"})
    assert confirmed.json()["count"] == 0


def test_station_confirms_in_person_through_the_api(round_, people, veterans):
    row = _row(veterans["mine"])
    response = _api(people["station"]).post(
        f"/api/confirmations/{row.pk}/confirm/", {"method": "in_person", "notes": "本人来站"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["method"], body["overdue"], body["suspended"]) == (
        "confirmed",
        "in_person",
        False,
        False,
    )
    row.refresh_from_db()
    assert (row.status, row.confirmed_by) == (ConfirmationStatus.CONFIRMED, people["station"])


def test_confirming_twice_through_the_api_is_a_400_and_writes_nothing(round_, people, veterans):
    row = _row(veterans["mine"])
    api = _api(people["station"])
    api.post(f"/api/confirmations/{row.pk}/confirm/", {"method": "in_person"}, format="json")
    before = AuditEvent.objects.count()
    again = api.post(f"/api/confirmations/{row.pk}/confirm/", {"method": "in_person"}, format="json")
    assert again.status_code == 400 and "不能重复确认" in str(again.json())
    assert AuditEvent.objects.count() == before


def test_a_row_of_another_area_is_not_found_and_not_confirmed(round_, people, veterans):
    row = _row(veterans["theirs"])
    api = _api(people["station"])
    assert api.get(f"/api/confirmations/{row.pk}/").status_code == 404
    response = api.post(f"/api/confirmations/{row.pk}/confirm/", {"method": "in_person"}, format="json")
    assert response.status_code == 404 and "李长青" not in response.content.decode()
    row.refresh_from_db()
    assert row.status == ConfirmationStatus.PENDING


def test_a_visit_of_another_area_cannot_be_named(round_, people, veterans):
    from confirmations.tests.test_services import _visit

    theirs = _visit(veterans["theirs"], people["other_worker"])
    row = _row(veterans["mine"])
    response = _api(people["worker"]).post(
        f"/api/confirmations/{row.pk}/confirm/", {"method": "visit", "visit": theirs.pk}, format="json"
    )
    assert response.status_code == 400 and "visit" in response.json()
    row.refresh_from_db()
    assert row.status == ConfirmationStatus.PENDING


def test_leaders_read_but_cannot_confirm(round_, people, veterans):
    row = _row(veterans["mine"])
    response = _api(people["leader"]).post(
        f"/api/confirmations/{row.pk}/confirm/", {"method": "in_person"}, format="json"
    )
    assert response.status_code in (400, 403)
    row.refresh_from_db()
    assert row.status == ConfirmationStatus.PENDING


def test_the_api_is_in_the_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/confirmations/" in schema["paths"] and "/api/confirmations/{id}/confirm/" in schema["paths"]
