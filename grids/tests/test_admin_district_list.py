"""DistrictListAdmin, the base of the district reference lists of the apps above (employers,
training providers, the referral alliance), tried here on streets: a grids model that belongs
to a district, so the test needs nothing from above."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.admin_forms import ServiceModelForm
from grids.admin_district_list import DistrictListAdmin
from grids.models import Role, Street
from grids.tests.factories import CommunityFactory, GridFactory, StreetFactory, make_staff


class StreetForm(ServiceModelForm):
    class Meta:
        model = Street
        fields = ["district", "code", "name"]


class StreetListAdmin(DistrictListAdmin):
    form = StreetForm


class StationStreetListAdmin(StreetListAdmin):
    street_stations_pick_their_district = True


@pytest.fixture
def elsewhere(tree):
    """A grid of another district, so that 'districts the user works in' has one to leave out."""
    street = StreetFactory(name="外区街道")
    GridFactory(community=CommunityFactory(street=street))
    return street


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def district_choices(admin_class, user) -> set[str]:
    model_admin = admin_class(Street, admin.site)
    field = model_admin.formfield_for_foreignkey(Street._meta.get_field("district"), request_of(user))
    return {district.name for district in field.queryset}


def test_the_list_shows_only_the_rows_in_the_users_area(tree, elsewhere):
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    rows = StreetListAdmin(Street, admin.site).get_queryset(request_of(station))
    assert {street.name for street in rows} == {"甲街道"}


def test_by_default_only_the_districts_own_staff_pick_its_district(tree, elsewhere):
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    assert district_choices(StreetListAdmin, leader) == {tree["district"].name}
    assert district_choices(StreetListAdmin, station) == set()


def test_a_street_station_picks_the_district_it_works_in_where_the_list_allows(tree, elsewhere):
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    worker = make_staff(grids=[tree["grid_b11"]])
    assert district_choices(StationStreetListAdmin, station) == {tree["district"].name}
    assert district_choices(StationStreetListAdmin, worker) == {tree["district"].name}


def test_the_form_writes_as_the_user_and_no_row_is_deleted(tree):
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    model_admin = StreetListAdmin(Street, admin.site)
    form_class = model_admin.get_form(request_of(station))
    assert form_class.acting_user == station
    assert not model_admin.has_delete_permission(request_of(station), tree["street_a"])
