from rest_framework.test import APIClient

from audit.models import AuditEvent
from transfers.models import Transfer, TransferStatus
from transfers.tests.factories import make_transfer
from veterans.models import Veteran
from veterans.tests.factories import make_veteran


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_transfer_is_started_and_accepted_by_the_api(areas):
    veteran = make_veteran(areas["home"], name="赵迁入")
    response = api(areas["sender"]).post(
        "/api/transfers/", {"veteran": veteran.pk, "to_grid": areas["away"].pk, "reason": "随子女"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["veteran_name"] == "赵迁入"
    assert "*" in body["id_number"]
    receiver = api(areas["receiver"])
    # Before acceptance the receiver reads the transfer, not the file.
    assert receiver.get(f"/api/transfers/{body['id']}/").status_code == 200
    assert receiver.get(f"/api/veterans/{veteran.pk}/").status_code == 404
    response = receiver.post(f"/api/transfers/{body['id']}/accept/")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert Veteran.objects.get(pk=veteran.pk).grid == areas["away"]
    assert receiver.get(f"/api/veterans/{veteran.pk}/").status_code == 200
    assert api(areas["sender"]).get(f"/api/veterans/{veteran.pk}/").status_code == 404
    assert api(areas["sender"]).get(f"/api/transfers/{body['id']}/").status_code == 200


def test_reject_by_the_api_needs_a_reason(areas):
    transfer = make_transfer(areas)
    receiver = api(areas["receiver"])
    response = receiver.post(f"/api/transfers/{transfer.pk}/reject/", {}, format="json")
    assert response.status_code == 400
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING
    response = receiver.post(f"/api/transfers/{transfer.pk}/reject/", {"reason": "查无此人"}, format="json")
    assert response.status_code == 200 and response.json()["reject_reason"] == "查无此人"


def test_refused_start_answers_400_and_writes_nothing(areas):
    veteran = make_veteran(areas["home"])
    before = AuditEvent.objects.count()
    response = api(areas["sender"]).post(
        "/api/transfers/", {"veteran": veteran.pk, "to_grid": areas["home"].pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "无需迁移" in response.json()["to_grid"][0]
    response = api(areas["sender"]).post(
        "/api/transfers/", {"veteran": veteran.pk, "to_grid": 999999, "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "to_grid" in response.json()
    assert Transfer.objects.count() == 0 and AuditEvent.objects.count() == before


def test_start_of_someone_elses_person_is_refused(areas):
    veteran = make_veteran(areas["home"], name="钱越界")
    response = api(areas["receiver"]).post(
        "/api/transfers/", {"veteran": veteran.pk, "to_grid": areas["away"].pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "钱越界" not in response.content.decode()
    assert Transfer.objects.count() == 0


def test_sender_cannot_accept_and_a_stranger_gets_404(areas):
    transfer = make_transfer(areas)
    assert api(areas["sender"]).post(f"/api/transfers/{transfer.pk}/accept/").status_code == 403
    response = api(areas["far_center"]).post(f"/api/transfers/{transfer.pk}/accept/")
    assert response.status_code == 404 and "王迁移" not in response.content.decode()
    assert api(areas["far_center"]).get(f"/api/transfers/{transfer.pk}/").status_code == 404
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING


def test_direction_and_status_filters(areas):
    outgoing = make_transfer(areas)
    incoming_veteran = make_veteran(areas["away"])
    from transfers.services import transfer_start

    incoming = transfer_start(
        veteran=incoming_veteran, to_grid=areas["home"], reason="回迁", acting_user=areas["receiver"]
    )
    sender = api(areas["sender"])
    ids = lambda query: [row["id"] for row in sender.get(f"/api/transfers/{query}").json()["results"]]  # noqa: E731
    assert ids("?direction=out") == [outgoing.pk]
    assert ids("?direction=in") == [incoming.pk]
    assert sorted(ids("")) == sorted([outgoing.pk, incoming.pk])
    assert ids("?status=accepted") == []
    assert ids("?status=pending&direction=in") == [incoming.pk]


def test_list_runs_a_fixed_number_of_queries(areas, django_assert_max_num_queries):
    for _ in range(3):
        make_transfer(areas, veteran=make_veteran(areas["home"]))
    client = api(areas["sender"])
    with django_assert_max_num_queries(8):
        response = client.get("/api/transfers/")
    assert response.json()["count"] == 3
