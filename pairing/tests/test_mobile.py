"""结对走访 from the phone card: the grid worker records a contact of the person's pair, once even
when the queue sends it twice; a person without a pair gets no form; outside the grid, 404."""

import uuid

from django.urls import reverse

from pairing.models import PairContact
from pairing.services import pair_contact_record
from pairing.tests.conftest import START


def test_the_card_offers_pair_contact_and_the_worker_records_one_once(client, people, persons, make_pair):
    pair = make_pair()
    client.force_login(people["worker"])
    url = reverse("pairing_mobile:contact", args=[persons["old"].pk])
    assert url in client.get(reverse("mobile:card", args=[persons["old"].pk])).content.decode()
    form = {"pair": pair.pk, "contacted_on": START.isoformat(), "way": "home_visit", "note": "身体好"}
    form["client_id"] = str(uuid.uuid4())
    for _sent in range(2):
        response = client.post(url, form, HTTP_X_QUEUE="1")
        assert response.json()["status"] == "stored"
    contact = PairContact.objects.get()
    assert (contact.pair, contact.note, contact.recorded_by) == (pair, "身体好", people["worker"])


def test_a_contact_before_the_pair_began_is_refused_beside_its_date(client, people, persons, make_pair):
    pair = make_pair()
    client.force_login(people["worker"])
    url = reverse("pairing_mobile:contact", args=[persons["old"].pk])
    response = client.post(url, {"pair": pair.pk, "contacted_on": "2026-01-01", "way": "phone"})
    assert response.status_code == 200
    assert "不能早于结对日期" in str(response.context["form"].errors["contacted_on"])
    assert not PairContact.objects.exists()


def test_a_person_without_a_pair_gets_no_form(client, people, persons):
    client.force_login(people["worker"])
    page = client.get(reverse("pairing_mobile:contact", args=[persons["young"].pk])).content.decode()
    assert "尚无结对" in page and "pair-contact-form" not in page


def test_a_person_of_another_grid_is_not_found(client, people, persons, make_pair):
    make_pair(persons["theirs"], by=people["other_station"])
    client.force_login(people["worker"])
    response = client.get(reverse("pairing_mobile:contact", args=[persons["theirs"].pk]))
    assert response.status_code == 404 and "李长青" not in response.content.decode()


def test_a_paired_cadre_with_an_account_may_record_the_pairs_contact(people, make_pair):
    pair = make_pair(partner_user=people["leader"], partner_name="")
    contact = pair_contact_record(pair=pair, contacted_on=START, acting_user=people["leader"])
    assert contact.recorded_by == people["leader"]
