"""Every filter of CaseFilter and EntryFilter on stored rows: a row that matches and one that does
not, and exactly the matching ones come back. The queue, the phone list and the API share them."""

import datetime
from unittest import mock

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from assistance.filters import CaseFilter, EntryFilter
from assistance.models import FundEntry, HardshipCase, ReliefFund
from assistance.services import case_open, fund_receive
from assistance.tests.factories import CaseTypeFactory
from veterans.tests.factories import make_veteran

MARCH, MAY = datetime.date(2026, 3, 1), datetime.date(2026, 5, 1)


@pytest.fixture
def two_cases(tree, people, illness, fund):
    """Case "a" (王德顺, street a) and case "b" (李长青, street b) that differ in every filtered field."""
    other_type = CaseTypeFactory(name="测试用临时救助")
    cases = {}
    for key, grid, name, case_type in (
        ("a", tree["grid_a11"], "王德顺", illness),
        ("b", tree["grid_b11"], "李长青", other_type),
    ):
        cases[key] = case_open(
            veteran=make_veteran(grid, name=name),
            case_type=case_type,
            description="住院",
            reported_on=MARCH,
            amount_requested="1000",
            acting_user=people["cashier"],
        )
    # Stored states a workflow would take many steps to reach; only the filtered columns matter.
    HardshipCase.objects.filter(pk=cases["a"].pk).update(status="approved", special=True, fund=fund)
    HardshipCase.objects.filter(pk=cases["b"].pk).update(status="draft", reported_on=MAY)
    return {key: HardshipCase.objects.get(pk=case.pk) for key, case in cases.items()}


def query(params: dict) -> QueryDict:
    """Parameters as a request brings them (a list is a repeated parameter)."""
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [str(value)])
    return data


def _found(filterset) -> set[str]:
    assert filterset.is_valid(), filterset.errors
    return {case.veteran.name for case in filterset.qs}


CASE_FILTERS = [
    ({"status": "approved"}, {"王德顺"}),
    ({"status": ["approved", "draft"]}, {"王德顺", "李长青"}),
    ({"status": "paid"}, set()),
    ({"reported_from": "2026-04-01"}, {"李长青"}),
    ({"reported_to": "2026-04-01"}, {"王德顺"}),
    ({"reported_from": "2026-03-01", "reported_to": "2026-03-01"}, {"王德顺"}),
    ({"name": "德顺"}, {"王德顺"}),
    ({"q": "长青"}, {"李长青"}),
    ({"q": "  "}, {"王德顺", "李长青"}),
    ({"special": "true"}, {"王德顺"}),
    ({"special": "false"}, {"李长青"}),
]


@pytest.mark.parametrize(("params", "expected"), CASE_FILTERS)
def test_each_case_filter_keeps_exactly_the_matching_cases(two_cases, params, expected):
    assert _found(CaseFilter(query(params), queryset=HardshipCase.objects.all())) == expected


@pytest.mark.parametrize("field", ["veteran", "case_type", "street", "community", "grid", "fund"])
def test_each_case_filter_by_a_related_row_keeps_the_cases_of_that_row(two_cases, fund, field):
    case = two_cases["a"]
    assert _found(CaseFilter({field: getattr(case, f"{field}_id")}, queryset=HardshipCase.objects.all())) == {"王德顺"}
    if field != "fund":  # case b has no fund
        other = getattr(two_cases["b"], f"{field}_id")
        assert _found(CaseFilter({field: other}, queryset=HardshipCase.objects.all())) == {"李长青"}


def test_an_unknown_filter_value_is_refused_not_ignored(two_cases):
    assert not CaseFilter({"status": "nonsense"}, queryset=HardshipCase.objects.all()).is_valid()
    assert not CaseFilter({"reported_from": "not a date"}, queryset=HardshipCase.objects.all()).is_valid()


@pytest.fixture
def entries(tree, people, fund):
    """The fund's opening allocation (from the fixture, today), a donation made in March to a
    second fund, and one made today to the first."""
    second = ReliefFund.objects.create(
        name="甲街道帮扶基金", level="street", district=tree["district"], street=tree["street_a"]
    )
    march = timezone.make_aware(datetime.datetime(2026, 3, 10, 9, 30))
    with mock.patch("django.utils.timezone.now", return_value=march):
        fund_receive(
            fund=second,
            kind="donation",
            amount="500",
            donor_kind="person",
            donor_name="王女士",
            acting_user=people["cashier"],
        )
    fund_receive(
        fund=fund,
        kind="donation",
        amount="800",
        donor_kind="enterprise",
        donor_name="津门爱心企业",
        receipt_no="JZ-TEST-1",
        acting_user=people["cashier"],
    )
    return {entry.donor_name or "拨款": entry for entry in FundEntry.objects.all()}


def _entries(params) -> set[str]:
    filterset = EntryFilter(query(params), queryset=FundEntry.objects.all())
    assert filterset.is_valid(), filterset.errors
    return {entry.donor_name or "拨款" for entry in filterset.qs}


def test_each_entry_filter_keeps_exactly_the_matching_entries(entries, fund):
    assert set(entries) == {"拨款", "王女士", "津门爱心企业"}
    assert _entries({"kind": "allocation"}) == {"拨款"}
    assert _entries({"kind": ["allocation", "donation"]}) == {"拨款", "王女士", "津门爱心企业"}
    assert _entries({"kind": "payment"}) == set()
    assert _entries({"fund": fund.pk}) == {"拨款", "津门爱心企业"}
    assert _entries({"fund": entries["王女士"].fund_id}) == {"王女士"}
    assert _entries({"donor_kind": "person"}) == {"王女士"}
    assert _entries({"donor_kind": "enterprise"}) == {"津门爱心企业"}
    assert _entries({"receipt_no": "JZ-TEST-1"}) == {"津门爱心企业"}
    assert _entries({"receipt_no": entries["王女士"].receipt_no}) == {"王女士"}
    assert _entries({"since": "2026-03-10"}) == {"拨款", "王女士", "津门爱心企业"}
    assert _entries({"since": "2026-03-11"}) == {"拨款", "津门爱心企业"}
    assert _entries({"until": "2026-03-10"}) == {"王女士"}
    assert _entries({"until": "2026-03-09"}) == set()


# Through the pages: the same FilterSet drives the desk queue and the phone list.


def test_the_queue_is_filtered_by_the_case_filterset(client, tree, people, illness, two_cases):
    HardshipCase.objects.filter(pk=two_cases["b"].pk).update(status="approved")
    client.force_login(people["cashier"])
    url = reverse("assistance:queue")
    names = lambda response: [case.veteran.name for case in response.context["page"]]  # noqa: E731
    assert sorted(names(client.get(url, {"stage": "pay"}))) == ["李长青", "王德顺"]
    assert names(client.get(url, {"stage": "pay", "q": "德顺"})) == ["王德顺"]
    assert names(client.get(url, {"stage": "pay", "case_type": illness.pk})) == ["王德顺"]
    assert names(client.get(url, {"stage": "pay", "special": "false"})) == ["李长青"]
    assert names(client.get(url, {"stage": "pay", "reported_from": "bad"})) == []  # refused, not ignored


def test_the_phone_case_list_is_filtered_by_the_case_filterset(client, tree, people, two_cases):
    client.force_login(people["cashier"])
    url = reverse("mobile:cases")
    names = lambda response: [case.veteran.name for case in response.context["page"]]  # noqa: E731
    assert sorted(names(client.get(url))) == ["李长青", "王德顺"]
    response = client.get(url, {"status": "draft"})
    assert names(response) == ["李长青"]
    assert "王德顺" not in response.content.decode()
