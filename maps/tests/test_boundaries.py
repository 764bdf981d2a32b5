import json
from decimal import Decimal

from shapely.geometry import shape

from audit.models import AuditEvent
from grids.scoping import SYSTEM
from maps.boundaries import boundaries_import
from maps.geometry import bounding_box
from maps.models import AreaBoundary
from maps.tests.conftest import geojson_file, upload_level
from maps.tiling import rectangle, tiles

BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[117.0, 39.0], [117.1, 39.1], [117.1, 39.0], [117.0, 39.1], [117.0, 39.0]]],
}


def _reasons(report) -> dict:
    reasons = {}
    for error in report.errors:
        reasons[error.code] = reasons.get(error.code, "") + error.reason
    return reasons


def test_it_stores_every_level_with_simplified_copies_and_bounds(bounded_tree, bounds):
    assert AreaBoundary.objects.count() == 1 + 2 + 4 + 8
    grid = AreaBoundary.objects.get(level="grid", grid=bounded_tree["grid_a12"])
    assert grid.geometry == rectangle(bounds["grid_a12"])  # as given
    assert json.loads(grid.geometry_coarse)["type"] == "Polygon"
    # Exact, as the rectangle's corners were written in the file (6 decimals).
    stored = (grid.min_lon, grid.min_lat, grid.max_lon, grid.max_lat)
    assert all(isinstance(corner, Decimal) for corner in stored)
    assert stored == tuple(Decimal(str(round(corner, 6))) for corner in bounds["grid_a12"])
    # The ancestors' keys are filled, so scoping finds it at every level.
    assert (grid.district_id, grid.street_id, grid.community_id) == (
        bounded_tree["district"].pk,
        bounded_tree["street_a"].pk,
        bounded_tree["community_a1"].pk,
    )
    assert AuditEvent.objects.filter(action="import", detail__kind="area_boundaries").count() == 4


def test_a_bounding_box_keeps_7_decimals_as_given_and_widens_finer_ones_outwards():
    given = rectangle((117.1, 39.05, 117.2, 39.1234567), digits=7)
    assert bounding_box(shape(given)) == (Decimal("117.1"), Decimal("39.05"), Decimal("117.2"), Decimal("39.1234567"))
    finer = rectangle((117.123456789, 39.000000001, 117.200000001, 39.123456712), digits=9)
    assert bounding_box(shape(finer)) == (
        Decimal("117.1234567"), Decimal("39.0000000"), Decimal("117.2000001"), Decimal("39.1234568"),
    )  # fmt: skip


def test_it_refuses_a_self_intersecting_an_unknown_and_an_overlapping_feature_each_with_its_reason(
    bounded_tree, bounds
):
    community = bounds["community_a1"]
    first, _second = tiles(community, 2)
    upload = geojson_file(
        [
            (bounded_tree["grid_a11"].code, BOWTIE),
            ("NOSUCH9", rectangle(first)),
            (bounded_tree["grid_a12"].code, rectangle(community)),  # covers its sibling a11
        ]
    )
    before = AreaBoundary.objects.get(level="grid", grid=bounded_tree["grid_a12"]).geometry

    report = boundaries_import(uploaded_file=upload, level="grid", acting_user=SYSTEM)

    reasons = _reasons(report)
    assert not report.ok and report.stored == 0
    assert "自相交" in reasons[bounded_tree["grid_a11"].code]
    assert "NOSUCH9" in reasons and "不是您管辖范围内的网格" in reasons["NOSUCH9"]
    # grid_a11's own shape is bad, so the overlap is found against the stored a11 boundary.
    assert "重叠" in reasons[bounded_tree["grid_a12"].code]
    assert "a1-1网格" in reasons[bounded_tree["grid_a12"].code]
    # All or nothing: the stored boundary is untouched.
    assert AreaBoundary.objects.get(level="grid", grid=bounded_tree["grid_a12"]).geometry == before


def test_it_refuses_two_new_siblings_overlapping_each_other_naming_both(bounded_tree, bounds):
    community = bounds["community_a1"]
    upload = geojson_file(
        [(bounded_tree["grid_a11"].code, rectangle(community)), (bounded_tree["grid_a12"].code, rectangle(community))]
    )
    report = boundaries_import(uploaded_file=upload, level="grid", acting_user=SYSTEM)
    reasons = _reasons(report)
    assert "重叠 100.0%" in reasons[bounded_tree["grid_a11"].code]
    assert "重叠 100.0%" in reasons[bounded_tree["grid_a12"].code]


def test_it_refuses_an_area_reaching_outside_its_parent(bounded_tree, bounds):
    west, south, east, north = bounds["grid_a11"]
    upload = geojson_file([(bounded_tree["grid_a11"].code, rectangle((west, south, east, north + 0.05)))])
    report = boundaries_import(uploaded_file=upload, level="grid", acting_user=SYSTEM)
    assert "超出上级“a1社区”的边界" in _reasons(report)[bounded_tree["grid_a11"].code]


def test_a_small_spill_over_the_parent_within_the_tolerance_is_accepted(bounded_tree, bounds):
    west, south, east, north = bounds["grid_a11"]
    spill = (north - south) * 0.005
    upload = geojson_file([(bounded_tree["grid_a11"].code, rectangle((west, south, east, north + spill)))])
    report = boundaries_import(uploaded_file=upload, level="grid", acting_user=SYSTEM)
    assert report.ok, report.errors


def test_it_refuses_codes_outside_the_users_scope_as_unknown(tree, bounds, people):
    report = upload_level(tree, "street", bounds, acting_user=people["station"])
    reasons = _reasons(report)
    assert list(reasons) == [tree["street_b"].code]  # street a is the station's own
    assert AreaBoundary.objects.count() == 0


def test_a_grid_worker_may_not_upload(tree, bounds, people):
    import pytest

    from core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        upload_level(tree, "grid", bounds, acting_user=people["worker"])


def test_it_refuses_a_file_that_is_not_geojson_and_a_zipped_shapefile(tree):
    import pytest
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.errors import ApplicationError

    for content in (b"not json", b"PK\x03\x04rest", b'{"type": "Feature"}'):
        with pytest.raises(ApplicationError):
            boundaries_import(uploaded_file=SimpleUploadedFile("x.geojson", content), level="grid", acting_user=SYSTEM)


def test_it_refuses_a_point_and_projected_coordinates(tree):
    upload = geojson_file(
        [
            (tree["grid_a11"].code, {"type": "Point", "coordinates": [117.0, 39.0]}),
            (tree["grid_a12"].code, rectangle((500000.0, 4300000.0, 500100.0, 4300100.0))),
        ]
    )
    reasons = _reasons(boundaries_import(uploaded_file=upload, level="grid", acting_user=SYSTEM))
    assert "Polygon" in reasons[tree["grid_a11"].code]
    assert "投影坐标" in reasons[tree["grid_a12"].code]


def test_a_replaced_boundary_replaces_the_old_one(bounded_tree, bounds):
    report = upload_level(bounded_tree, "grid", bounds)
    assert report.ok and report.stored == 8
    assert AreaBoundary.objects.filter(level="grid").count() == 8
