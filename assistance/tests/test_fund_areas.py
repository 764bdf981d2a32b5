"""Each fund belongs to the area its level names (the city, a district or a street), is seen only
inside that area and pays only the cases of it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assistance.models import CaseStatus, FundEntry, HardshipCase, ReliefFund
from assistance.selectors import where_income_went
from assistance.services import case_open, case_step, fund_create, fund_receive
from core.errors import ApplicationError
from grids.models import Role, the_city
from grids.tests.factories import CommunityFactory, GridFactory, StreetFactory, make_staff
from veterans.tests.factories import make_veteran


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def center():
    """The municipal service center's cashier: station staff with a city-wide scope."""
    return make_staff(the_city(), role=Role.STATION_STAFF)


@pytest.fixture
def city_fund(center):
    fund = fund_create(name="全市退役军人关爱基金", level="city", acting_user=center)
    fund_receive(fund=fund, kind="allocation", amount="100000", acting_user=center)
    return fund


def approved_case(tree, people, illness, grid=None, amount="3000"):
    """A case approved by the grid's own worker, station and district leader."""
    grid = grid or tree["grid_a11"]
    if grid != tree["grid_a11"]:
        people = {
            "worker": make_staff(grids=[grid]),
            "station": make_staff(grid.street, role=Role.STATION_STAFF),
            "leader": make_staff(grid.district, role=Role.BUREAU_LEADER),
        }
    veteran = make_veteran(grid, name="朝阳里老兵")
    case = case_open(
        veteran=veteran,
        case_type=illness,
        description="住院",
        reported_on=timezone.localdate(),
        amount_requested=amount,
        acting_user=people["worker"],
    )
    case_step(case=case, action="submit", acting_user=people["worker"])
    case_step(case=case, action="review", acting_user=people["station"])
    return case_step(case=case, action="approve", acting_user=people["leader"])


def assert_unpaid(case, fund, balance):
    case.refresh_from_db()
    fund.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.payment_id is None and case.fund_id is None
    assert fund.balance == Decimal(balance)
    assert not FundEntry.objects.filter(fund=fund, kind="payment").exists()


@pytest.mark.parametrize(
    "level, keys",
    [
        ("city", {"district": True}),
        ("province", {"street": True}),
        ("district", {}),
        ("district", {"district": True, "street": True}),
        ("street", {"district": True}),
        ("street", {}),
    ],
)
def test_the_database_refuses_a_fund_whose_owner_area_does_not_match_its_level(tree, level, keys):
    owner = {
        "district": tree["district"] if keys.get("district") else None,
        "street": tree["street_a"] if keys.get("street") else None,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefFund.objects.create(name="错配基金", level=level, **owner)
    assert not ReliefFund.objects.exists()


def test_the_database_keeps_city_fund_names_unique(tree):
    ReliefFund.objects.create(name="全市基金", level="city")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefFund.objects.create(name="全市基金", level="province")
    assert ReliefFund.objects.count() == 1


@pytest.mark.parametrize(
    "level, keys, field, message",
    [
        ("city", {"district": True}, "district", "市级、省级基金属于全市"),
        ("province", {"street": True}, "street", "市级、省级基金属于全市"),
        ("district", {}, "district", "区/县级基金须选择所属区/县"),
        ("district", {"district": True, "street": True}, "street", "区/县级基金不选择街道/镇"),
        ("street", {"district": True}, "street", "街道/镇级基金须选择所属街道/镇"),
        ("nation", {}, "level", "请选择基金级别"),
    ],
)
def test_fund_create_explains_a_level_that_does_not_match_the_area(tree, center, level, keys, field, message):
    owner = {
        "district": tree["district"] if keys.get("district") else None,
        "street": tree["street_a"] if keys.get("street") else None,
    }
    with pytest.raises(ApplicationError, match=message) as error:
        fund_create(name="错配基金", level=level, acting_user=center, **owner)
    assert error.value.field == field
    assert not ReliefFund.objects.exists()


def test_a_street_fund_takes_its_district_from_the_street(tree):
    fund = fund_create(
        name="甲街道基金",
        level="street",
        street=tree["street_a"],
        acting_user=make_staff(tree["street_a"], role=Role.STATION_STAFF),
    )
    fund.refresh_from_db()
    assert (fund.district, fund.street, fund.owner_area) == (tree["district"], tree["street_a"], tree["street_a"])


def test_only_a_city_wide_account_sets_up_a_city_fund(tree, center):
    district_staff = make_staff(tree["district"], role=Role.STATION_STAFF)
    with pytest.raises(ApplicationError, match="只能由全市范围的账号设立") as error:
        fund_create(name="市级基金", level="city", acting_user=district_staff)
    assert error.value.code == "out_of_scope" and not ReliefFund.objects.exists()
    fund = fund_create(name="市级基金", level="city", acting_user=center)
    fund.refresh_from_db()
    assert fund.district_id is None and fund.street_id is None and str(fund.owner_area) == str(the_city())
    with pytest.raises(ApplicationError, match="全市已有名为“市级基金”的基金"):
        fund_create(name="市级基金", level="province", acting_user=center)
    assert ReliefFund.objects.count() == 1


def test_the_admin_sets_up_a_city_fund_with_no_district_and_explains_a_mismatch(client, tree, center):
    client.force_login(center)
    add = reverse("admin:assistance_relieffund_add")
    response = client.post(add, {"name": "市级基金", "level": "city", "district": tree["district"].pk, "street": ""})
    assert response.status_code == 200 and "市级、省级基金属于全市，不选择区/县或街道/镇" in response.content.decode()
    response = client.post(add, {"name": "区级基金", "level": "district", "district": "", "street": ""})
    assert response.status_code == 200 and "区/县级基金须选择所属区/县" in response.content.decode()
    assert not ReliefFund.objects.exists()
    response = client.post(add, {"name": "市级基金", "level": "city", "district": "", "street": ""})
    assert response.status_code == 302
    fund = ReliefFund.objects.get()
    assert (fund.name, fund.level, fund.district_id, fund.street_id) == ("市级基金", "city", None, None)
    listed = client.get(reverse("admin:assistance_relieffund_changelist")).content.decode()
    assert '<td class="field-owner_display">全市</td>' in listed


def test_a_district_station_cannot_set_up_a_city_fund_in_the_admin(client, tree):
    client.force_login(make_staff(tree["district"], role=Role.STATION_STAFF))
    response = client.post(
        reverse("admin:assistance_relieffund_add"), {"name": "市级基金", "level": "city", "district": "", "street": ""}
    )
    assert response.status_code == 200 and "只能由全市范围的账号设立" in response.content.decode()
    assert not ReliefFund.objects.exists()


def test_the_city_center_takes_a_donation_into_the_city_fund_and_pays_a_district_case_from_it(
    client, tree, people, illness, center
):
    client.force_login(center)
    response = client.post(
        reverse("admin:assistance_relieffund_add"),
        {"name": "全市关爱基金", "level": "city", "district": "", "street": ""},
    )
    fund = ReliefFund.objects.get(name="全市关爱基金")
    assert response.status_code == 302
    response = api(center).post(
        "/api/fund-entries/",
        {"fund": fund.pk, "kind": "donation", "amount": "5000", "donor_kind": "enterprise", "donor_name": "爱心企业"},
        format="json",
    )
    assert response.status_code == 201
    donation = FundEntry.objects.get(pk=response.json()["id"])
    case = approved_case(tree, people, illness)
    page = client.get(reverse("assistance:case", args=[case.pk]))
    assert fund in page.context["step_form"].fields["fund"].queryset
    response = client.post(reverse("assistance:step", args=[case.pk]), {"action": "pay", "fund": fund.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    fund.refresh_from_db()
    assert case.status == CaseStatus.PAID and case.fund == fund and case.payment.amount == Decimal("-3000.00")
    assert fund.balance == Decimal("2000.00")
    assert [(t.case, t.amount) for t in where_income_went(donation)] == [(case, Decimal("3000.00"))]
    receipt = client.get(reverse("assistance:receipt", args=[donation.pk]))
    assert receipt.status_code == 200 and "朝阳里老兵" in receipt.content.decode()
    trace = api(center).get(f"/api/fund-entries/{donation.pk}/trace/").json()
    assert [row["case"] for row in trace] == [case.pk]


def test_whoever_approved_a_case_cannot_pay_it_from_the_city_fund(tree, people, illness, city_fund):
    city_leader = make_staff(the_city(), role=Role.BUREAU_LEADER)
    city_leader.user_permissions.add(Permission.objects.get(codename="pay_hardshipcase"))
    veteran = make_veteran(tree["grid_a11"])
    case = case_open(
        veteran=veteran,
        case_type=illness,
        description="住院",
        reported_on=timezone.localdate(),
        amount_requested="3000",
        acting_user=people["worker"],
    )
    case_step(case=case, action="submit", acting_user=people["worker"])
    case_step(case=case, action="review", acting_user=people["station"])
    case_step(case=case, action="approve", acting_user=city_leader)
    with pytest.raises(ApplicationError, match="批准人不能同时登记发放"):
        case_step(case=case, action="pay", acting_user=city_leader, fund=city_fund)
    assert_unpaid(case, city_fund, "100000.00")


@pytest.mark.parametrize("place", ["district", "street_a"])
def test_a_district_or_street_account_never_sees_the_city_fund(client, tree, people, illness, center, place):
    fund = fund_create(name="全市关爱基金", level="city", acting_user=center)
    donation = fund_receive(
        fund=fund, kind="donation", amount="800", acting_user=center, donor_kind="person", donor_name="市民张先生"
    )
    local = make_staff(tree[place], role=Role.STATION_STAFF)
    client.force_login(local)
    assert "全市关爱基金" not in client.get(reverse("admin:assistance_relieffund_changelist")).content.decode()
    assert "市民张先生" not in client.get(reverse("admin:assistance_fundentry_changelist")).content.decode()
    assert client.get(reverse("admin:assistance_relieffund_change", args=[fund.pk])).status_code == 302
    assert client.get(reverse("admin:assistance_fundentry_change", args=[donation.pk])).status_code == 302
    assert client.get(reverse("assistance:receipt", args=[donation.pk])).status_code == 404
    rest = api(local)
    assert fund.pk not in [row["id"] for row in rest.get("/api/funds/").json()["results"]]
    assert rest.get(f"/api/funds/{fund.pk}/").status_code == 404
    assert donation.pk not in [row["id"] for row in rest.get("/api/fund-entries/").json()["results"]]
    assert rest.get(f"/api/fund-entries/{donation.pk}/").status_code == 404
    response = rest.post("/api/fund-entries/", {"fund": fund.pk, "kind": "allocation", "amount": "10"}, format="json")
    assert response.status_code == 400 and "fund" in response.json()
    fund.refresh_from_db()
    assert fund.balance == Decimal("800.00") and fund.entries.count() == 1


def test_a_district_fund_cannot_pay_a_case_of_another_district(tree, people, illness, center):
    other_district = StreetFactory(name="友谊路街道").district
    theirs = fund_create(name="河西区帮扶基金", level="district", district=other_district, acting_user=center)
    fund_receive(fund=theirs, kind="allocation", amount="50000", acting_user=center)
    case = approved_case(tree, people, illness)
    with pytest.raises(ApplicationError) as error:
        case_step(case=case, action="pay", acting_user=center, fund=theirs)
    assert error.value.field == "fund" and error.value.message == (
        f"“河西区帮扶基金”是{other_district}的基金，只能支付{other_district}的救助；本件救助属于{tree['district']}。"
    )
    assert_unpaid(case, theirs, "50000.00")


def test_a_street_fund_pays_its_own_streets_cases_and_not_another_streets(tree, people, illness):
    fund_a = fund_create(name="甲街道基金", level="street", street=tree["street_a"], acting_user=people["cashier"])
    fund_b = fund_create(name="乙街道基金", level="street", street=tree["street_b"], acting_user=people["cashier"])
    for fund in (fund_a, fund_b):
        fund_receive(fund=fund, kind="allocation", amount="10000", acting_user=people["cashier"])
    case = approved_case(tree, people, illness)  # in 甲街道
    with pytest.raises(
        ApplicationError, match="“乙街道基金”是乙街道的基金，只能支付乙街道的救助；本件救助属于甲街道。"
    ):
        case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund_b)
    assert_unpaid(case, fund_b, "10000.00")
    case = case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund_a)
    fund_a.refresh_from_db()
    assert case.status == CaseStatus.PAID and case.fund == fund_a and fund_a.balance == Decimal("7000.00")


def test_the_api_step_refuses_a_fund_that_does_not_cover_the_case(tree, people, illness):
    fund_b = fund_create(name="乙街道基金", level="street", street=tree["street_b"], acting_user=people["cashier"])
    fund_receive(fund=fund_b, kind="allocation", amount="10000", acting_user=people["cashier"])
    case = approved_case(tree, people, illness)
    response = api(people["cashier"]).post(
        f"/api/cases/{case.pk}/step/", {"action": "pay", "fund": fund_b.pk}, format="json"
    )
    assert response.status_code == 400 and "只能支付乙街道的救助" in str(response.json())
    assert_unpaid(case, fund_b, "10000.00")


def test_the_payer_is_offered_only_funds_in_scope_that_cover_the_cases(client, tree, people, illness, city_fund):
    cashier = people["cashier"]
    district_fund = fund_create(name="区基金", level="district", district=tree["district"], acting_user=cashier)
    fund_a = fund_create(name="甲街道基金", level="street", street=tree["street_a"], acting_user=cashier)
    fund_b = fund_create(name="乙街道基金", level="street", street=tree["street_b"], acting_user=cashier)
    case_a = approved_case(tree, people, illness)
    case_b = approved_case(tree, people, illness, grid=tree["grid_b11"])
    client.force_login(cashier)
    page = client.get(reverse("assistance:case", args=[case_a.pk]))
    assert set(page.context["step_form"].fields["fund"].queryset) == {
        district_fund,
        fund_a,
    }  # no city fund: out of scope
    changelist = reverse("admin:assistance_hardshipcase_changelist")
    one = client.post(changelist, {"action": "pay_cases", "_selected_action": [case_b.pk]})
    assert set(one.context["form"].fields["fund"].queryset) == {district_fund, fund_b}
    both = client.post(changelist, {"action": "pay_cases", "_selected_action": [case_a.pk, case_b.pk]})
    assert set(both.context["form"].fields["fund"].queryset) == {district_fund}
    center = make_staff(the_city(), role=Role.STATION_STAFF)
    client.force_login(center)
    far_grid = GridFactory(community=CommunityFactory(street=StreetFactory(name="友谊路街道")))
    elsewhere = approved_case(tree, people, illness, grid=far_grid)
    across = client.post(changelist, {"action": "pay_cases", "_selected_action": [case_a.pk, elsewhere.pk]})
    assert set(across.context["form"].fields["fund"].queryset) == {city_fund}
    assert HardshipCase.objects.filter(status=CaseStatus.PAID).count() == 0
