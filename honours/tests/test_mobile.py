import datetime
import uuid

from django.urls import reverse

from audit.models import AuditEvent
from honours.models import MeritNotice

DAY = datetime.timedelta(days=1)


def _deliver_url(person):
    return reverse("honours_mobile:deliver", args=[person.pk])


def test_the_card_offers_the_delivery_which_lists_the_waiting_notice(client, people, persons, receive_notice):
    receive_notice()
    client.force_login(people["worker"])
    page = client.get(reverse("mobile:card", args=[persons["family"].pk])).content.decode()
    assert "送达喜报" in page and _deliver_url(persons["family"]) in page
    assert "王小兵 · 三等功" in client.get(_deliver_url(persons["family"])).content.decode()


def test_worker_records_the_delivery_once_even_when_sent_twice(client, people, persons, receive_notice, today):
    notice = receive_notice()
    client.force_login(people["worker"])
    form = client.get(_deliver_url(persons["family"])).context["form"]
    assert form.fields["notice"].initial == notice.pk  # the only one waiting is chosen
    body = {
        "client_id": str(uuid.uuid4()), "notice": notice.pk, "delivered_on": today.isoformat(),
        "delivery_way": "home", "note": "母亲签收",
    }  # fmt: skip
    first = client.post(_deliver_url(persons["family"]), body)
    assert first.status_code == 302 and first.url == reverse("mobile:card", args=[persons["family"].pk])
    again = client.post(_deliver_url(persons["family"]), body)  # the offline queue sends it again
    assert again.status_code in {200, 302}
    notice.refresh_from_db()
    assert notice.delivered_on == today and notice.delivered_by == people["worker"]
    assert AuditEvent.objects.filter(object_id=str(notice.pk), action="update").count() == 1
    assert "没有待送达" in client.get(_deliver_url(persons["family"])).content.decode()


def test_a_delivery_before_the_notice_arrived_is_refused_on_the_form(client, people, persons, receive_notice):
    notice = receive_notice(days_ago=1)
    client.force_login(people["worker"])
    response = client.post(
        _deliver_url(persons["family"]),
        {"notice": notice.pk, "delivered_on": (notice.received_on - DAY).isoformat(), "delivery_way": "home"},
    )
    assert response.status_code == 200 and "不能早于收到喜报日期" in response.content.decode()
    notice.refresh_from_db()
    assert notice.delivered_on is None


def test_another_grids_person_and_notice_are_out_of_reach(client, people, persons, receive_notice, today):
    theirs = receive_notice(family=persons["theirs"], by=people["other_station"])
    client.force_login(people["worker"])
    assert client.get(_deliver_url(persons["theirs"])).status_code == 404
    # Naming another grid's notice on one's own person's page chooses nothing.
    response = client.post(
        _deliver_url(persons["family"]),
        {"notice": theirs.pk, "delivered_on": today.isoformat(), "delivery_way": "home"},
    )
    assert response.status_code == 200
    assert MeritNotice.objects.get(pk=theirs.pk).delivered_on is None


def test_the_delivery_photo_is_served_only_in_scope(client, people, persons, receive_notice, today, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    notice = receive_notice()
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 10, 10)).save(buffer, format="JPEG")
    client.force_login(people["worker"])
    response = client.post(
        _deliver_url(persons["family"]),
        {"notice": notice.pk, "delivered_on": today.isoformat(), "delivery_way": "home",
         "photo": SimpleUploadedFile("合影.jpg", buffer.getvalue(), content_type="image/jpeg")},
    )  # fmt: skip
    assert response.status_code == 302
    url = reverse("honours:notice_photo", args=[notice.pk])
    photo = client.get(url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    client.force_login(people["other_worker"])
    assert client.get(url).status_code == 404
