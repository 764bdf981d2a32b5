import uuid

from django.urls import reverse
from django.utils import timezone

from employment.models import EmploymentProfile, StatusChange

QUEUE = {"HTTP_X_QUEUE": "1"}


def _findings(**values):
    return {
        "client_id": str(uuid.uuid4()),
        "status": "seeking",
        "changed_on": timezone.localdate().isoformat(),
        "skills": "挖掘机驾驶",
        "wants_job": "on",
        "wish_note": "希望在县城就业",
        **values,
    }


def test_the_card_offers_the_registration_to_the_grid_worker(client, people, veterans):
    client.force_login(people["worker"])
    page = client.get(reverse("mobile:card", args=[veterans["mine"].pk])).content.decode()
    assert "就业登记" in page and reverse("employment_mobile:visit", args=[veterans["mine"].pk]) in page


def test_a_visit_registers_once_even_when_sent_twice(client, people, veterans):
    client.force_login(people["worker"])
    url, body = reverse("employment_mobile:visit", args=[veterans["mine"].pk]), _findings()
    first = client.post(url, body, **QUEUE)
    again = client.post(url, body, **QUEUE)
    assert first.json()["status"] == "stored" and again.json().get("replayed") is True
    profile = EmploymentProfile.objects.get()
    assert (profile.status, profile.skills, profile.wants_job) == ("seeking", "挖掘机驾驶", True)
    assert StatusChange.objects.count() == 1


def test_a_later_visit_records_the_new_status(client, people, veterans):
    client.force_login(people["worker"])
    url = reverse("employment_mobile:visit", args=[veterans["mine"].pk])
    client.post(url, _findings(changed_on=(timezone.localdate().replace(day=1)).isoformat()))
    response = client.post(url, _findings(status="self_employed", workplace="养蜂场"))
    assert response.status_code == 302
    profile = EmploymentProfile.objects.get()
    assert (profile.status, profile.workplace) == ("self_employed", "养蜂场")
    assert list(profile.changes.values_list("to_status", flat=True)) == ["seeking", "self_employed"]


def test_an_old_person_is_refused_with_the_reason(client, people, veterans):
    client.force_login(people["worker"])
    response = client.post(reverse("employment_mobile:visit", args=[veterans["old"].pk]), _findings())
    assert response.status_code == 200 and "劳动年龄" in response.content.decode()
    assert not EmploymentProfile.objects.exists()


def test_a_person_of_another_grid_is_not_found(client, people, veterans):
    client.force_login(people["worker"])
    response = client.post(reverse("employment_mobile:visit", args=[veterans["theirs"].pk]), _findings())
    assert response.status_code == 404 and "李长青" not in response.content.decode()
    assert not EmploymentProfile.objects.exists()
