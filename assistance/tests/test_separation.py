"""Separation of duties on hardship cases: whoever opened or submitted a case does not review or
approve it, and whoever approved it does not record its payment. Refused in the service, so the
admin, the API and the case page all say the same; the page does not offer the refused steps."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assistance.models import CaseStatus, CaseStep
from assistance.rules import steps_available
from assistance.services import case_open, case_step
from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


@pytest.fixture
def station_case(tree, people, illness):
    """A case a station staffer opened at the desk (stations may open cases and review them)."""
    return case_open(
        veteran=make_veteran(tree["grid_a11"], name="到站老兵"),
        case_type=illness,
        description="到服务站申请",
        reported_on=timezone.localdate(),
        amount_requested="1500",
        acting_user=people["station"],
    )


def test_whoever_opened_a_case_cannot_review_or_approve_it(tree, people, station_case):
    case_step(case=station_case, action="submit", acting_user=people["station"])
    with pytest.raises(ApplicationError, match="本件救助由您登记或提交，不能由您“审核通过”") as error:
        case_step(case=station_case, action="review", acting_user=people["station"])
    assert error.value.code == "forbidden"
    colleague = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    case_step(case=station_case, action="review", acting_user=colleague)
    with pytest.raises(ApplicationError, match="不能由您“批准”"):
        case_step(case=station_case, action="approve", acting_user=people["station"])
    station_case.refresh_from_db()
    assert station_case.status == CaseStatus.REVIEWED and station_case.approved_by is None
    assert case_step(case=station_case, action="approve", acting_user=colleague).status == CaseStatus.APPROVED


def test_whoever_submitted_someone_elses_draft_cannot_review_it(tree, people, illness):
    case = case_open(
        veteran=make_veteran(tree["grid_a11"]),
        case_type=illness,
        description="网格员登记",
        amount_requested="1500",
        reported_on=timezone.localdate(),
        acting_user=people["worker"],
    )
    case_step(case=case, action="submit", acting_user=people["station"])
    with pytest.raises(ApplicationError, match="登记或提交"):
        case_step(case=case, action="review", acting_user=people["station"])
    assert not CaseStep.objects.filter(case=case, action="review").exists()


def test_whoever_approved_cannot_record_the_payment_but_a_colleague_can(tree, people, illness, fund):
    case = case_open(
        veteran=make_veteran(tree["grid_a11"]),
        case_type=illness,
        description="住院",
        amount_requested="1500",
        reported_on=timezone.localdate(),
        acting_user=people["worker"],
    )
    case_step(case=case, action="submit", acting_user=people["worker"])
    case_step(case=case, action="review", acting_user=people["cashier"])
    case_step(case=case, action="approve", acting_user=people["cashier"])
    with pytest.raises(ApplicationError, match="批准人不能同时登记发放"):
        case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    fund.refresh_from_db()
    assert fund.balance == Decimal("1650000.00")
    colleague = make_staff(tree["district"], role=Role.STATION_STAFF)
    paid = case_step(case=case, action="pay", acting_user=colleague, fund=fund)
    assert paid.status == CaseStatus.PAID and paid.payment.created_by == colleague


def test_the_api_and_the_case_page_refuse_with_the_same_message(client, tree, people, station_case):
    case_step(case=station_case, action="submit", acting_user=people["station"])
    api = APIClient()
    api.force_authenticate(people["station"])
    response = api.post(f"/api/cases/{station_case.pk}/step/", {"action": "review"}, format="json")
    assert response.status_code == 403 and "登记或提交" in response.json()["detail"]

    client.force_login(people["station"])
    page = client.get(reverse("assistance:case", args=[station_case.pk]))
    assert "review" not in [name for name, _step in page.context["steps"]]  # not offered
    posted = client.post(reverse("assistance:step", args=[station_case.pk]), {"action": "review"}, follow=True)
    assert "登记或提交" in posted.content.decode()
    station_case.refresh_from_db()
    assert station_case.status == CaseStatus.SUBMITTED


def test_the_steps_offered_leave_out_the_refused_ones(tree, people, station_case):
    case = case_step(case=station_case, action="submit", acting_user=people["station"])
    assert "review" not in dict(steps_available(people["station"], case))
    assert "review" in dict(steps_available(people["cashier"], case))
    case_step(case=case, action="review", acting_user=people["cashier"])
    case = case_step(case=case, action="approve", acting_user=people["cashier"])
    assert "pay" not in dict(steps_available(people["cashier"], case))
    assert "pay" in dict(steps_available(make_staff(tree["district"], role=Role.STATION_STAFF), case))
