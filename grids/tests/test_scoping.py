import pytest
from django.contrib.auth.models import AnonymousUser

from grids.models import Community, Grid, Role, StaffProfile, Street
from grids.scoping import in_scope, scope_queryset
from grids.tests.factories import DistrictFactory, GridFactory, UserFactory, make_staff


def grid_names(user):
    return set(scope_queryset(user, Grid.objects.all()).values_list("name", flat=True))


def test_district_staff_see_every_grid_of_their_district_only(tree):
    other_district_grid = GridFactory(name="外区网格")
    user = make_staff(tree["district"])
    names = grid_names(user)
    assert len(names) == 8
    assert other_district_grid.name not in names


def test_street_staff_see_their_street_grids_only(tree):
    user = make_staff(tree["street_a"])
    assert grid_names(user) == {"a1-1网格", "a1-2网格", "a2-1网格", "a2-2网格"}


def test_community_staff_see_their_community_grids_only(tree):
    user = make_staff(tree["community_b1"])
    assert grid_names(user) == {"b1-1网格", "b1-2网格"}


def test_grid_worker_sees_one_grid(tree):
    user = make_staff(grids=[tree["grid_a21"]])
    assert grid_names(user) == {"a2-1网格"}


def test_worker_with_two_grids_sees_both_and_nothing_else(tree):
    user = make_staff(grids=[tree["grid_a11"], tree["grid_b22"]])
    assert grid_names(user) == {"a1-1网格", "b2-2网格"}


def test_user_without_profile_sees_nothing(tree):
    assert grid_names(UserFactory()) == set()


def test_superuser_without_profile_sees_nothing(tree):
    assert grid_names(UserFactory(is_superuser=True, is_staff=True)) == set()


def test_anonymous_sees_nothing(tree):
    assert grid_names(AnonymousUser()) == set()
    assert grid_names(None) == set()


def test_inactive_user_sees_nothing(tree):
    user = make_staff(tree["district"])
    user.is_active = False
    user.save()
    user.refresh_from_db()
    assert grid_names(user) == set()


def test_grid_worker_sees_no_communities_or_streets(tree):
    user = make_staff(grids=[tree["grid_a11"]])
    assert not scope_queryset(user, Community.objects.all()).exists()
    assert not scope_queryset(user, Street.objects.all()).exists()


def test_street_staff_see_their_street_and_its_communities(tree):
    user = make_staff(tree["street_b"])
    assert list(scope_queryset(user, Street.objects.all())) == [tree["street_b"]]
    assert set(scope_queryset(user, Community.objects.all())) == {tree["community_b1"], tree["community_b2"]}


def test_staff_profiles_are_scoped_by_where_the_staff_work(tree):
    street_user = make_staff(tree["street_a"])
    worker_a = make_staff(grids=[tree["grid_a11"]])
    worker_b = make_staff(grids=[tree["grid_b11"]])
    leader = make_staff(tree["district"])
    visible = set(scope_queryset(street_user, StaffProfile.objects.all()).values_list("user_id", flat=True))
    assert worker_a.pk in visible and street_user.pk in visible
    assert worker_b.pk not in visible and leader.pk not in visible


def test_in_scope_uses_the_same_rule(tree):
    user = make_staff(tree["community_a1"])
    assert in_scope(user, tree["grid_a11"])
    assert not in_scope(user, tree["grid_a21"])


def test_scope_is_one_query_per_request_user(tree, django_assert_num_queries):
    user = make_staff(tree["street_a"])
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(2):  # profile once, then the grids themselves
        list(scope_queryset(user, Grid.objects.all()))
    with django_assert_num_queries(1):
        list(scope_queryset(user, Grid.objects.all()))


def test_scoped_query_filters_on_one_indexed_key(tree):
    user = make_staff(tree["street_a"])
    sql = str(scope_queryset(user, Grid.objects.all()).query)
    assert '"street_id" = ' in sql


def test_profile_for_grids_in_two_communities_keeps_only_common_ancestors(tree):
    user = make_staff(grids=[tree["grid_a11"], tree["grid_a21"]])
    profile = user.staff_profile
    assert profile.street_id == tree["street_a"].pk
    assert profile.community_id is None


@pytest.mark.parametrize("role", [Role.BUREAU_LEADER, Role.SYSTEM_ADMIN])
def test_district_roles_cannot_be_scoped_below_the_district(tree, role):
    from core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        make_staff(tree["street_a"], role=role)


def test_other_district_is_invisible_even_for_a_leader(tree):
    other = DistrictFactory()
    GridFactory(community__street__district=other)
    user = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    assert not scope_queryset(user, Grid.objects.filter(district=other)).exists()
