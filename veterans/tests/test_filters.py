"""Every filter of VeteranFilterSet on stored records: one that matches and one that does not, and
exactly the matching ones come back; and the admin's sidebar filters that choose through it."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from grids.models import Role
from grids.tests.factories import make_staff
from veterans.filters import VeteranFilterSet
from veterans.models import Honour, Veteran
from veterans.tests.factories import make_veteran


@pytest.fixture
def two_veterans(tree):
    """王德顺 (street a): old, poor, decorated, plaque hung, complete; 李长青 (street b): none of it."""
    a = make_veteran(tree["grid_a11"], name="王德顺", categories=[("korean_war", None)])
    b = make_veteran(tree["grid_b11"], name="李长青", categories=[("martyr_family", None)])
    # Stored facts straight into the columns the filters read (the services would add steps).
    Veteran.objects.filter(pk=a.pk).update(
        veteran_type="discharged_soldier",
        birth_date=datetime.date(1930, 1, 1),
        is_party_member=True,
        party_relation="pocket",
        minimum_living_allowance=True,
        glory_plaque_hung_on=datetime.date(2025, 8, 1),
        completeness=100,
        life_status="alive",
    )
    Veteran.objects.filter(pk=b.pk).update(
        veteran_type="transferred_officer",
        birth_date=datetime.date(1970, 1, 1),
        is_party_member=False,
        party_relation="",
        registered_poor=True,
        glory_plaque_hung_on=None,
        completeness=50,
        life_status="deceased",
        life_status_date=datetime.date(2025, 2, 1),
    )
    Honour.objects.create(veteran=a, kind="first_class")
    Honour.objects.create(veteran=a, kind="second_class")  # two rows: the merit filter must not repeat him
    Honour.objects.create(veteran=b, kind="third_class")
    return {"a": Veteran.objects.get(pk=a.pk), "b": Veteran.objects.get(pk=b.pk)}


def query(params: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, [str(value)])
    return data


def _found(params) -> list[str]:
    filterset = VeteranFilterSet(query(params), queryset=Veteran.objects.all())
    assert filterset.is_valid(), filterset.errors
    return sorted(veteran.name for veteran in filterset.qs)


BOTH, A, B = ["李长青", "王德顺"], ["王德顺"], ["李长青"]
VETERAN_FILTERS = [
    ({}, BOTH),
    ({"q": "王德顺"}, A),
    ({"q": "长青"}, B),
    ({"veteran_type": "discharged_soldier"}, A),
    ({"veteran_type": "transferred_officer"}, B),
    ({"category": "korean_war"}, A),
    ({"category": "martyr_family"}, B),
    ({"party_relation": "pocket"}, A),
    ({"party_relation": "mobile"}, []),
    ({"is_party_member": "true"}, A),
    ({"is_party_member": "false"}, B),
    ({"hardship": "minimum_living_allowance"}, A),
    ({"hardship": "extreme_poverty"}, []),
    ({"hardship": "registered_poor"}, B),
    ({"hardship": "any"}, BOTH),
    ({"key_group": "age_80_plus"}, A),
    ({"key_group": "extreme_hardship"}, A),
    ({"key_group": "major_contribution"}, A),
    ({"key_group": "merit_awards"}, BOTH),
    ({"plaque_hung": "true"}, A),
    ({"plaque_hung": "false"}, B),
    ({"complete": "true"}, A),
    ({"complete": "false"}, B),
    ({"completeness_below": 60}, B),
    ({"completeness_below": 50}, []),
    ({"life_status": "deceased"}, B),
    ({"life_status": "alive"}, A),
]


@pytest.mark.parametrize(("params", "expected"), VETERAN_FILTERS)
def test_each_veteran_filter_keeps_exactly_the_matching_records(two_veterans, params, expected):
    assert _found(params) == expected


@pytest.mark.parametrize("field", ["street", "community", "grid"])
def test_each_area_filter_keeps_the_records_of_that_area(two_veterans, field):
    assert _found({field: getattr(two_veterans["a"], f"{field}_id")}) == A
    assert _found({field: getattr(two_veterans["b"], f"{field}_id")}) == B


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"hardship": "registered_poor"}, B),
        ({"key_group": "merit_awards"}, BOTH),
        ({"plaque": "hung"}, A),
        ({"plaque": "not_hung"}, B),
        ({"completeness": "complete"}, A),
        ({"completeness": "incomplete"}, B),
        ({"completeness": "low"}, B),
    ],
)
def test_the_admin_sidebar_filters_choose_through_the_filterset(client, tree, two_veterans, params, expected):
    client.force_login(make_staff(tree["district"], role=Role.STATION_STAFF))
    response = client.get(reverse("admin:veterans_veteran_changelist"), params)
    assert response.status_code == 200
    assert sorted(veteran.name for veteran in response.context["cl"].result_list) == expected
