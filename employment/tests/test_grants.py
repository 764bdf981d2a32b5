"""Self-employment grants and loan interest subsidies are hardship-case types: opened, reviewed,
approved by the bureau (the station may approve none alone), paid from a relief fund under the
household's yearly cap, and shown on the person's registry line."""

import pytest
from django.utils import timezone

from assistance.models import CaseStatus, CaseType
from assistance.services import case_open, case_step, fund_create, fund_receive
from core.errors import ApplicationError
from employment.models import ENTREPRENEURSHIP_CASE_TYPES, LOAN_INTEREST_SUBSIDY, SELF_EMPLOYMENT_GRANT
from employment.selectors import entrepreneurship_cases_of
from grids.models import Role
from grids.tests.factories import make_staff


def test_the_two_case_types_exist_with_their_rules(db):
    grant = CaseType.objects.get(name=SELF_EMPLOYMENT_GRANT)
    assert (grant.max_amount, grant.yearly_cap, grant.station_limit) == (10000, 20000, 0)
    assert CaseType.objects.filter(name=LOAN_INTEREST_SUBSIDY).exists()


def _grant(person, amount, worker):
    return case_open(
        veteran=person,
        case_type=CaseType.objects.get(name=SELF_EMPLOYMENT_GRANT),
        description="自主创业开办农家乐，申请一次性创业补贴",
        amount_requested=amount,
        reported_on=timezone.localdate(),
        acting_user=worker,
    )


def test_a_grant_goes_through_the_relief_workflow_and_its_caps(tree, people, veterans):
    worker, station, leader = people["worker"], people["station"], people["leader"]
    cashier = make_staff(tree["district"], role=Role.STATION_STAFF)
    fund = fund_create(name="退役军人帮扶基金", level="district", district=tree["district"], acting_user=leader)
    fund_receive(fund=fund, kind="allocation", amount="50000", acting_user=cashier)
    case = _grant(veterans["mine"], "10000", worker)
    case = case_step(case=case, action="submit", acting_user=worker)
    case = case_step(case=case, action="review", acting_user=station)
    with pytest.raises(ApplicationError, match="须由局领导批准"):
        case_step(case=case, action="approve", acting_user=cashier)
    case = case_step(case=case, action="approve", acting_user=leader)
    case = case_step(case=case, action="pay", fund=fund, acting_user=cashier)
    assert case.status == CaseStatus.PAID
    fund.refresh_from_db()
    assert fund.balance == 40000
    second = case_step(case=_grant(veterans["mine"], "10000", worker), action="submit", acting_user=worker)
    second = case_step(case=second, action="review", acting_user=station)
    # The yearly cap of the household counts every kind of help (¥20,000 here): ¥10,000 is left.
    with pytest.raises(ApplicationError) as error:
        case_step(case=second, action="approve", amount="10000.01", acting_user=leader)
    assert error.value.code in {"yearly_cap", "invalid"}
    cases = entrepreneurship_cases_of(user=station, person_id=veterans["mine"].pk)
    assert [c.pk for c in cases] == [second.pk, case.pk]
    assert all(c.case_type.name in ENTREPRENEURSHIP_CASE_TYPES for c in cases)
    assert entrepreneurship_cases_of(user=people["other_station"], person_id=veterans["mine"].pk) == []


def test_the_registry_line_shows_the_persons_grant_cases_read_only(client, people, veterans):
    from django.urls import reverse

    from employment.tests.factories import make_profile

    profile = make_profile(veterans["mine"])
    case = _grant(veterans["mine"], "5000", people["worker"])
    client.force_login(people["station"])
    page = client.get(reverse("admin:employment_employmentprofile_change", args=[profile.pk])).content.decode()
    assert SELF_EMPLOYMENT_GRANT in page and reverse("assistance:case", args=[case.pk]) in page
    assert "¥5,000.00" in page or "5,000" in page
