import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from grids.scoping import SYSTEM
from maps.homes import home_from_visit, home_set
from maps.models import HomePosition
from maps.tests.conftest import upload_level
from maps.tiling import point_inside
from veterans.tests.factories import make_veteran


def test_a_home_inside_its_grid_is_not_flagged_and_one_outside_is(bounded_tree, bounds, people):
    veteran = make_veteran(bounded_tree["grid_a11"])
    longitude, latitude = point_inside(bounds["grid_a11"], 0.5, 0.5)
    home = home_set(veteran=veteran, longitude=longitude, latitude=latitude, acting_user=people["station"])
    assert home.outside_grid is False and home.grid_id == veteran.grid_id
    assert home.confirmed_by == people["station"] and home.source == "picked"
    longitude, latitude = point_inside(bounds["grid_b22"], 0.5, 0.5)
    home_set(veteran=veteran, longitude=longitude, latitude=latitude, acting_user=people["station"])
    home.refresh_from_db()
    assert home.outside_grid is True
    assert home.longitude == Decimal(f"{longitude:.6f}")
    assert HomePosition.objects.count() == 1


def test_a_grid_without_a_boundary_flags_nothing(tree, people):
    veteran = make_veteran(tree["grid_a11"])
    home = home_set(veteran=veteran, longitude="100", latitude="20", acting_user=people["station"])
    assert home.outside_grid is False


def test_uploading_the_grid_boundary_later_flags_the_homes_outside(tree, bounds, people):
    inside, outside = make_veteran(tree["grid_a11"]), make_veteran(tree["grid_a11"])
    longitude, latitude = point_inside(bounds["grid_a11"], 0.2, 0.2)
    home_set(veteran=inside, longitude=longitude, latitude=latitude, acting_user=SYSTEM)
    home_set(veteran=outside, longitude="100", latitude="20", acting_user=SYSTEM)
    assert upload_level(tree, "grid", bounds).ok
    assert set(HomePosition.objects.filter(outside_grid=True).values_list("veteran_id", flat=True)) == {outside.pk}


def test_bad_coordinates_and_out_of_scope_people_are_refused(tree, people):
    veteran = make_veteran(tree["grid_b11"])
    with pytest.raises(ApplicationError) as refused:
        home_set(veteran=veteran, longitude="117", latitude="39", acting_user=people["station"])
    assert refused.value.code == "out_of_scope"
    with pytest.raises(ApplicationError) as refused:
        home_set(veteran=veteran, longitude="east", latitude="39", acting_user=SYSTEM)
    assert refused.value.field == "longitude"
    with pytest.raises(ApplicationError):
        home_set(veteran=veteran, longitude="117", latitude="95", acting_user=SYSTEM)
    with pytest.raises(ApplicationError):  # grid teams look, stations set
        home_set(veteran=make_veteran(tree["grid_a11"]), longitude="117", latitude="39", acting_user=people["worker"])
    assert HomePosition.objects.count() == 0


def test_the_station_confirms_the_latest_home_visits_position(bounded_tree, bounds, people):
    from visits.models import VisitMethod
    from visits.services import visit_record

    veteran = make_veteran(bounded_tree["grid_a11"])
    with pytest.raises(ApplicationError):
        home_from_visit(veteran=veteran, acting_user=people["station"])
    longitude, latitude = point_inside(bounds["grid_a11"], 0.3, 0.6)
    visit_record(
        veteran=veteran,
        acting_user=people["worker"],
        method=VisitMethod.HOME,
        findings="身体健康",
        visited_at=timezone.now() - datetime.timedelta(hours=1),
        latitude=Decimal(f"{latitude:.6f}"),
        longitude=Decimal(f"{longitude:.6f}"),
    )
    home = home_from_visit(veteran=veteran, acting_user=people["station"])
    assert home.source == "visit" and home.outside_grid is False
    assert home.latitude == Decimal(f"{latitude:.6f}") and home.confirmed_by == people["station"]


def test_many_homes_at_once_only_for_people_in_scope(tree, people):
    from maps.homes import homes_place_many

    mine, theirs = make_veteran(tree["grid_a11"]), make_veteran(tree["grid_b11"])
    positions = [(mine, Decimal("117.1"), Decimal("39.1")), (theirs, Decimal("117.2"), Decimal("39.1"))]
    with pytest.raises(ApplicationError):
        homes_place_many(positions=positions, source="import", acting_user=people["station"], detail={})
    assert HomePosition.objects.count() == 0
    assert homes_place_many(positions=positions[:1], source="import", acting_user=people["station"], detail={}) == 1


def test_a_person_moved_away_takes_their_home_out_of_the_old_areas_list(tree, people):
    from grids.scoping import scope_queryset
    from veterans.services import veteran_move_grid

    veteran = make_veteran(tree["grid_a11"])
    home_set(veteran=veteran, longitude="117.1", latitude="39.1", acting_user=SYSTEM)
    veteran_move_grid(veteran=veteran, grid=tree["grid_b11"], acting_user=SYSTEM, reason="搬家")
    assert not scope_queryset(people["station"], HomePosition.objects.all()).exists()
    assert scope_queryset(people["other_station"], HomePosition.objects.all()).count() == 1
