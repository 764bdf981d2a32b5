"""Every filter of WishFilter on stored wishes: one that matches and one that does not, and exactly
the matching ones come back; through the phone list and the admin's photo filter too."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from veterans.tests.factories import make_veteran
from wishes.filters import WishFilter
from wishes.models import MicroWish
from wishes.tests.factories import make_wish


@pytest.fixture
def two_wishes(tree, people):
    """王德顺's wheelchair (street a, fulfilled with a photo, claimed by an enterprise, 10 days old)
    and 李长青's hearing aid (street b, only collected, 40 days old)."""
    return {
        "a": make_wish(make_veteran(tree["grid_a11"], name="王德顺"), people, upto="fulfilled", title="轮椅"),
        "b": make_wish(make_veteran(tree["grid_b11"], name="李长青"), people, title="助听器", days_ago=40),
    }


def query(params: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [str(value)])
    return data


def _found(params) -> set[str]:
    filterset = WishFilter(query(params), queryset=MicroWish.objects.all())
    assert filterset.is_valid(), filterset.errors
    return {wish.title for wish in filterset.qs}


def _days_ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def test_each_wish_filter_keeps_exactly_the_matching_wishes(two_wishes):
    assert _found({}) == {"轮椅", "助听器"}
    assert _found({"status": "fulfilled"}) == {"轮椅"}
    assert _found({"status": ["fulfilled", "collected"]}) == {"轮椅", "助听器"}
    assert _found({"status": "cancelled"}) == set()
    assert _found({"donor_kind": "enterprise"}) == {"轮椅"}
    assert _found({"donor_kind": "person"}) == set()
    assert _found({"has_photo": "true"}) == {"轮椅"}
    assert _found({"has_photo": "false"}) == {"助听器"}
    assert _found({"collected_from": _days_ago(20)}) == {"轮椅"}
    assert _found({"collected_to": _days_ago(20)}) == {"助听器"}
    assert _found({"collected_from": _days_ago(40), "collected_to": _days_ago(40)}) == {"助听器"}
    assert _found({"q": "德顺"}) == {"轮椅"}  # the veteran's name
    assert _found({"q": "助听"}) == {"助听器"}  # the wish
    assert _found({"q": "津门"}) == {"轮椅"}  # the donor
    assert _found({"q": " "}) == {"轮椅", "助听器"}


@pytest.mark.parametrize("field", ["veteran", "street", "community", "grid"])
def test_each_wish_filter_by_a_related_row_keeps_the_wishes_of_that_row(two_wishes, field):
    assert _found({field: getattr(two_wishes["a"], f"{field}_id")}) == {"轮椅"}
    assert _found({field: getattr(two_wishes["b"], f"{field}_id")}) == {"助听器"}


def test_the_phone_wish_list_is_filtered_by_the_wish_filterset(client, tree, people, two_wishes):
    client.force_login(people["leader"])
    url = reverse("wishes_mobile:list")
    titles = lambda response: [wish.title for wish in response.context["page"]]  # noqa: E731
    assert sorted(titles(client.get(url))) == ["助听器", "轮椅"]
    assert titles(client.get(url, {"has_photo": "true"})) == ["轮椅"]
    assert titles(client.get(url, {"status": "collected"})) == ["助听器"]
    assert titles(client.get(url, {"status": "nonsense"})) == []  # refused, not ignored


def test_the_admin_photo_filter_chooses_through_the_wish_filterset(client, people, two_wishes):
    client.force_login(people["leader"])
    url = reverse("admin:wishes_microwish_changelist")
    with_photo = client.get(url, {"has_photo": "yes"}).context["cl"].result_list
    without_photo = client.get(url, {"has_photo": "no"}).context["cl"].result_list
    assert [wish.title for wish in with_photo] == ["轮椅"]
    assert [wish.title for wish in without_photo] == ["助听器"]
