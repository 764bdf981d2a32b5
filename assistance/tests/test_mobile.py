from django.urls import reverse
from django.utils import timezone

from assistance.models import CaseStatus, HardshipCase
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


def test_worker_reports_hardship_from_the_card(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    card = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    url = reverse("mobile:hardship", args=[veteran.pk])
    assert url in card and "报告困难" in card
    from assistance.models import CaseType

    illness = CaseType.objects.get(name="大病医疗救助")
    response = client.post(
        url, {"case_type": illness.pk, "description": "住院", "reported_on": timezone.localdate(),
              "amount_requested": "8400", "submit_now": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    case = HardshipCase.objects.get()
    assert case.status == CaseStatus.SUBMITTED and case.grid_id == tree["grid_a11"].pk


def test_another_grids_veteran_is_404(client, tree):
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    other = make_veteran(tree["grid_a12"])
    assert client.get(reverse("mobile:hardship", args=[other.pk])).status_code == 404
    assert not HardshipCase.objects.exists()
