"""报名培训 on the phone: the card's button, the open courses of the person's area, one enrolment
for a form the offline queue sends twice, and nothing for a person outside the grid."""

import uuid

from django.urls import reverse

from training.models import Enrolment


def test_the_card_offers_enrolment_and_the_form_lists_open_courses_of_the_area(
    client, make_course, tree, veterans, people, today
):
    make_course(title="电工技能培训")
    make_course(title="乙街烹饪培训", street=tree["street_b"], by=people["center"])
    make_course(title="已截止培训", deadline_in=-1)
    client.force_login(people["worker"])
    url = reverse("training_mobile:enrol", args=[veterans["mine"].pk])
    assert url in client.get(reverse("mobile:card", args=[veterans["mine"].pk])).content.decode()
    page = client.get(url).content.decode()
    assert "电工技能培训" in page and "乙街烹饪培训" not in page and "已截止培训" not in page


def test_a_form_sent_twice_from_the_queue_enrols_once(client, course, veterans, people, today):
    client.force_login(people["worker"])
    url = reverse("training_mobile:enrol", args=[veterans["mine"].pk])
    form = {"course": course.pk, "enrolled_on": today.isoformat(), "client_id": str(uuid.uuid4())}
    first = client.post(url, form, HTTP_X_QUEUE="1")
    again = client.post(url, form, HTTP_X_QUEUE="1")
    assert first.json()["status"] == "stored" and again.json()["replayed"] is True
    assert Enrolment.objects.filter(veteran=veterans["mine"]).count() == 1


def test_a_refusal_is_shown_on_the_form(client, make_course, veterans, people, today):
    course = make_course(places=1)
    client.force_login(people["station"])
    client.post(
        reverse("training_mobile:enrol", args=[veterans["neighbour"].pk]),
        {"course": course.pk, "enrolled_on": today.isoformat()},
    )
    client.force_login(people["worker"])
    response = client.post(
        reverse("training_mobile:enrol", args=[veterans["mine"].pk]),
        {"course": course.pk, "enrolled_on": today.isoformat()},
    )
    assert response.status_code == 200
    assert not Enrolment.objects.filter(veteran=veterans["mine"]).exists()


def test_a_person_of_another_grid_is_not_found(client, course, veterans, people, today):
    client.force_login(people["worker"])
    response = client.post(
        reverse("training_mobile:enrol", args=[veterans["theirs"].pk]),
        {"course": course.pk, "enrolled_on": today.isoformat()},
    )
    assert response.status_code == 404 and "李长青" not in response.content.decode()
    assert not Enrolment.objects.exists()
