"""更新联系信息 from the phone, online and from the queue, with conflicts shown for choosing."""

import uuid

from django.urls import reverse

from grids.models import Role
from grids.tests.factories import make_staff
from offline.models import ConflictStatus, FieldConflict
from offline.selectors import file_version
from veterans.models import Veteran
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran


def _post(client, person, version, **values):
    data = {
        "client_id": str(uuid.uuid4()),
        "base_version": version,
        "phone": "",
        "residence_address": person.residence_address,
        "shown_residence_address": person.residence_address,
        "service_needs": person.service_needs,
        "shown_service_needs": person.service_needs,
        **values,
    }
    return client.post(reverse("offline:contact", args=[person.pk]), data, HTTP_X_QUEUE="1")


def test_an_unchanged_field_is_no_change_and_a_changed_one_is_written(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    person = make_veteran(tree["grid_a11"], residence_address="后山村12号", phone="13912345678")
    client.force_login(worker)
    answer = _post(client, person, file_version(person.pk), service_needs="需要轮椅")
    assert answer.json()["status"] == "stored"
    person.refresh_from_db()
    assert (person.service_needs, person.residence_address, person.phone) == ("需要轮椅", "后山村12号", "13912345678")


def test_a_conflict_is_stored_not_written_and_shown_with_both_values(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    person = make_veteran(tree["grid_a11"], phone="13912345678")
    version = file_version(person.pk)
    veteran_update(veteran=person, acting_user=station, phone="13722223333")
    client.force_login(worker)
    answer = _post(client, person, version, phone="13800001111")
    assert answer.json()["status"] == "stored"  # the queue is done with it: the conflict waits on the server
    assert Veteran.objects.get(pk=person.pk).phone == "13722223333"
    page = client.get(reverse("offline:contact", args=[person.pk])).content.decode()
    assert "137****3333" in page and "138****1111" in page
    conflict = FieldConflict.objects.get()
    client.post(reverse("offline:resolve", args=[conflict.pk]), {"take": "submitted"})
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.TAKEN
    assert Veteran.objects.get(pk=person.pk).phone == "13800001111"


def test_a_bad_phone_number_is_refused_with_its_field(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    person = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    answer = _post(client, person, file_version(person.pk), phone="电话12345")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "phone"


def test_another_grids_person_and_conflict_are_out_of_reach(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    other = make_veteran(tree["grid_a12"])
    client.force_login(worker)
    assert client.get(reverse("offline:contact", args=[other.pk])).status_code == 404
    assert _post(client, other, 0, phone="13800001111").status_code == 404
