import datetime

from django.urls import reverse
from django.utils import timezone

from confirmations.models import Confirmation, ConfirmationStatus
from confirmations.services import confirmation_round_open
from grids.scoping import SYSTEM
from visits.services import visit_record


def _open_this_year(tree):
    year = timezone.localdate().year
    return confirmation_round_open(
        district=tree["district"], year=year, deadline=datetime.date(year, 12, 31), acting_user=SYSTEM
    )


def test_a_grid_worker_confirms_from_the_veteran_card_with_a_home_visit(client, tree, people, veterans):
    _open_this_year(tree)
    visit, _created = visit_record(veteran=veterans["mine"], acting_user=people["worker"], method="home")
    client.force_login(people["worker"])
    url = reverse("confirmations_mobile:confirm", args=[veterans["mine"].pk])
    assert url in client.get(reverse("mobile:card", args=[veterans["mine"].pk])).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and f'value="{visit.pk}"' in page.content.decode()
    response = client.post(url, {"visit": visit.pk, "notes": "本人在家"})
    assert response.status_code == 302
    row = Confirmation.objects.get(veteran=veterans["mine"])
    assert (row.status, row.method, row.visit, row.confirmed_by) == ("confirmed", "visit", visit, people["worker"])


def test_without_a_home_visit_the_phone_says_so_and_saves_nothing(client, tree, people, veterans):
    _open_this_year(tree)
    visit_record(veteran=veterans["mine"], acting_user=people["worker"], method="phone")
    client.force_login(people["worker"])
    response = client.post(reverse("confirmations_mobile:confirm", args=[veterans["mine"].pk]), {"visit": ""})
    assert response.status_code == 200 and "须关联一次本年度的走访" in response.content.decode()
    assert Confirmation.objects.get(veteran=veterans["mine"]).status == ConfirmationStatus.PENDING


def test_a_person_of_another_grid_is_not_found(client, tree, people, veterans):
    _open_this_year(tree)
    client.force_login(people["worker"])
    response = client.post(reverse("confirmations_mobile:confirm", args=[veterans["theirs"].pk]), {"visit": ""})
    assert response.status_code == 404
    assert Confirmation.objects.get(veteran=veterans["theirs"]).status == ConfirmationStatus.PENDING
