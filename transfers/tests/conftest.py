import pytest

from grids.models import Role
from grids.tests.factories import CommunityFactory, DistrictFactory, GridFactory, StreetFactory, make_staff


@pytest.fixture
def areas(db):
    """Two streets of one district (the sender's and the receiver's), and a second district."""
    district = DistrictFactory()
    home_street = StreetFactory(district=district)
    away_street = StreetFactory(district=district)
    home = GridFactory(community=CommunityFactory(street=home_street, district=district))
    neighbour = GridFactory(community=home.community)
    away = GridFactory(community=CommunityFactory(street=away_street, district=district))
    other_district = DistrictFactory()
    far = GridFactory(community=CommunityFactory(street=StreetFactory(district=other_district)))
    return {
        "district": district,
        "home": home,
        "neighbour": neighbour,
        "away": away,
        "far": far,
        "sender": make_staff(home_street, role=Role.STATION_STAFF),
        "receiver": make_staff(away_street, role=Role.STATION_STAFF),
        "far_center": make_staff(other_district, role=Role.STATION_STAFF),
        "worker": make_staff(grids=[home]),
    }


@pytest.fixture
def cast(tree):
    """The stations of the root `tree`'s two streets and the district's bureau leader."""
    return {
        "station_a": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "station_b": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }
