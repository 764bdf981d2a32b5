"""The maps cast: the shared `tree` (a district, two streets, four communities, eight grids) with
rectangles tiling it, staff on each side, and a maker of GeoJSON uploads."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from maps.boundaries import boundaries_import
from maps.tiling import rectangle, tiles

DISTRICT_BOUNDS = (117.0, 39.0, 117.4, 39.2)


def geojson_file(features: list[tuple[str, dict]], name: str = "boundaries.geojson") -> SimpleUploadedFile:
    """An upload of (code, geometry) pairs as a FeatureCollection."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": code}, "geometry": geometry} for code, geometry in features
        ],
    }
    return SimpleUploadedFile(name, json.dumps(collection).encode(), content_type="application/geo+json")


def tree_bounds(tree) -> dict:
    """Each area's rectangle, keyed like `tree`: streets split the district, and so on down."""
    bounds = {"district": DISTRICT_BOUNDS}
    for s, street_key in enumerate(("a", "b")):
        bounds[f"street_{street_key}"] = tiles(DISTRICT_BOUNDS, 2)[s]
        for c in (1, 2):
            community = tiles(bounds[f"street_{street_key}"], 2)[c - 1]
            bounds[f"community_{street_key}{c}"] = community
            for g in (1, 2):
                bounds[f"grid_{street_key}{c}{g}"] = tiles(community, 2)[g - 1]
    return bounds


def upload_level(tree, level: str, bounds: dict, acting_user=SYSTEM):
    keys = [key for key in bounds if key.startswith(level)]
    features = [(tree[key].code, rectangle(bounds[key])) for key in keys]
    return boundaries_import(uploaded_file=geojson_file(features), level=level, acting_user=acting_user)


@pytest.fixture
def bounds(tree):
    return tree_bounds(tree)


@pytest.fixture
def bounded_tree(tree, bounds):
    """The tree with every boundary stored, top down."""
    for level in ("district", "street", "community", "grid"):
        report = upload_level(tree, level, bounds)
        assert report.ok, report.errors
    return tree


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "other_worker": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "other_station": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }
