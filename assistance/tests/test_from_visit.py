"""A case opened from the visit that found the hardship: it keeps the visit, and the visit's day
is the report date unless another is given — on the phone, in the admin and through the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assistance.models import CaseStatus, HardshipCase
from assistance.services import case_open
from core.errors import ApplicationError
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits.services import visit_record


def days_ago(days: int) -> datetime.datetime:
    return timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0) - datetime.timedelta(days=days)


@pytest.fixture
def visited(tree, people):
    """A veteran of grid a11 visited three days ago, when the illness came to light."""
    veteran = make_veteran(tree["grid_a11"], name="朝阳里老兵")
    visit, _ = visit_record(
        veteran=veteran, acting_user=people["worker"], method="home", findings="确诊结肠癌", visited_at=days_ago(3)
    )
    return veteran, visit


def test_a_case_from_a_visit_keeps_it_and_takes_its_date(people, illness, visited):
    veteran, visit = visited
    case = case_open(
        veteran=veteran,
        visit=visit,
        case_type=illness,
        description="走访发现",
        amount_requested="8400",
        acting_user=people["worker"],
    )
    case.refresh_from_db()
    assert case.visit == visit and case.reported_on == timezone.localdate() - datetime.timedelta(days=3)
    given = case_open(
        veteran=veteran,
        visit=visit,
        case_type=illness,
        description="早已获知",
        amount_requested="100",
        reported_on=timezone.localdate() - datetime.timedelta(days=10),
        acting_user=people["worker"],
    )
    assert given.reported_on == timezone.localdate() - datetime.timedelta(days=10)


def test_a_visit_to_another_veteran_is_refused(tree, people, illness, visited):
    _veteran, visit = visited
    neighbour = make_veteran(tree["grid_a11"], name="邻居")
    with pytest.raises(ApplicationError, match="不是对该退役军人的走访") as error:
        case_open(
            veteran=neighbour,
            visit=visit,
            case_type=illness,
            description="x",
            amount_requested="100",
            acting_user=people["worker"],
        )
    assert error.value.field == "visit" and not HardshipCase.objects.exists()


def test_without_a_visit_the_report_date_is_required(tree, people, illness):
    with pytest.raises(ApplicationError, match="请填写首次获知日期"):
        case_open(
            veteran=make_veteran(tree["grid_a11"]),
            case_type=illness,
            description="x",
            amount_requested="100",
            acting_user=people["worker"],
        )
    assert not HardshipCase.objects.exists()


def test_the_phone_reports_hardship_from_a_visit_on_the_card(client, people, illness, visited):
    veteran, visit = visited
    client.force_login(people["worker"])
    url = reverse("mobile:hardship", args=[veteran.pk])
    card = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    assert f"{url}?visit={visit.pk}" in card
    page = client.get(f"{url}?visit={visit.pk}").content.decode()
    visit_day = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    assert 'id="from-visit"' in page and f'value="{visit_day}"' in page
    response = client.post(
        f"{url}?visit={visit.pk}",
        {
            "case_type": illness.pk,
            "description": "住院",
            "reported_on": visit_day,
            "amount_requested": "8400",
            "submit_now": "on",
        },
    )
    assert response.status_code == 302
    case = HardshipCase.objects.get()
    assert case.visit == visit and case.status == CaseStatus.SUBMITTED and str(case.reported_on) == visit_day


def test_the_phone_ignores_a_visit_of_someone_else(client, tree, people, illness, visited):
    _veteran, visit = visited
    other = make_veteran(tree["grid_a11"], name="另一位")
    client.force_login(people["worker"])
    url = reverse("mobile:hardship", args=[other.pk]) + f"?visit={visit.pk}"
    assert 'id="from-visit"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "case_type": illness.pk,
            "description": "住院",
            "reported_on": timezone.localdate().isoformat(),
            "amount_requested": "500",
        },
    )
    assert response.status_code == 302
    assert HardshipCase.objects.get().visit is None


def test_station_opens_a_case_in_the_admin(client, people, illness, visited):
    veteran, visit = visited
    client.force_login(people["station"])
    add = reverse("admin:assistance_hardshipcase_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "veteran": veteran.pk,
            "visit": visit.pk,
            "case_type": illness.pk,
            "description": "站内受理",
            "reported_on": "",
            "amount_requested": "3000",
        },
    )
    assert response.status_code == 302
    case = HardshipCase.objects.get()
    assert case.opened_by == people["station"] and case.visit == visit and case.status == CaseStatus.DRAFT
    assert case.reported_on == timezone.localdate() - datetime.timedelta(days=3)
    assert case.grid_id == veteran.grid_id and case.community_id == veteran.community_id


def test_the_admin_refuses_a_veteran_outside_the_station_and_writes_nothing(client, tree, people, illness):
    outsider = make_veteran(tree["grid_b11"], name="外街道老兵")
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:assistance_hardshipcase_add"),
        {
            "veteran": outsider.pk,
            "visit": "",
            "case_type": illness.pk,
            "description": "越界",
            "reported_on": timezone.localdate().isoformat(),
            "amount_requested": "3000",
        },
    )
    assert response.status_code == 200 and not HardshipCase.objects.exists()


def test_the_api_opens_a_case_from_a_visit(tree, people, illness, visited):
    veteran, visit = visited
    client = APIClient()
    client.force_authenticate(people["worker"])
    payload = {"veteran": veteran.pk, "case_type": illness.pk, "description": "住院", "amount_requested": "8400.00"}
    response = client.post("/api/cases/", {**payload, "visit": visit.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["visit"] == visit.pk and body["reported_on"] == str(timezone.localdate() - datetime.timedelta(days=3))
    far = make_veteran(tree["grid_b11"])
    far_visit, _ = visit_record(veteran=far, acting_user=make_staff(grids=[tree["grid_b11"]]), method="phone")
    response = client.post("/api/cases/", {**payload, "visit": far_visit.pk}, format="json")
    assert response.status_code == 400 and "visit" in response.json()
    assert HardshipCase.objects.count() == 1


def test_the_case_pages_show_the_visit_day_in_beijing_time(client, people, illness, visited):
    """A visit at 04:41 Beijing time is on the previous day in UTC: every page says the local day."""
    veteran, _visit = visited
    early = (timezone.localtime() - datetime.timedelta(days=5)).replace(hour=4, minute=41, second=0, microsecond=0)
    visit, _ = visit_record(
        veteran=veteran, acting_user=people["worker"], method="home", findings="凌晨发病", visited_at=early
    )
    case = case_open(
        veteran=veteran,
        visit=visit,
        case_type=illness,
        description="夜里送医",
        amount_requested="800",
        acting_user=people["worker"],
    )
    local_day, utc_day = early.date().isoformat(), (early.date() - datetime.timedelta(days=1)).isoformat()
    assert str(case.reported_on) == local_day
    client.force_login(people["station"])
    desk = client.get(reverse("assistance:case", args=[case.pk])).content.decode()
    admin_page = client.get(reverse("admin:assistance_hardshipcase_change", args=[case.pk])).content.decode()
    for body in (desk, admin_page):
        assert local_day in body and utc_day not in body


def test_the_case_page_names_the_finding_visit_without_a_doubled_word(client, people, illness, visited):
    veteran, visit = visited  # a home visit: 入户走访
    case = case_open(
        veteran=veteran,
        visit=visit,
        case_type=illness,
        description="住院",
        amount_requested="800",
        acting_user=people["worker"],
    )
    client.force_login(people["station"])
    body = client.get(reverse("assistance:case", args=[case.pk])).content.decode()
    assert "走访走访" not in body
    assert f"{timezone.localtime(visit.visited_at):%Y-%m-%d %H:%M} 的走访发现，方式：入户走访" in body
