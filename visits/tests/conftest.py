import pytest

from grids.tests.factories import CommunityFactory, GridFactory, StreetFactory


@pytest.fixture
def tree(db):
    """Two streets, each with two communities of two grids: enough to cross every boundary."""
    street_a = StreetFactory(name="甲街道")
    street_b = StreetFactory(district=street_a.district, name="乙街道")
    areas = {"district": street_a.district, "street_a": street_a, "street_b": street_b}
    for street_key, street in (("a", street_a), ("b", street_b)):
        for c in (1, 2):
            community = CommunityFactory(street=street, name=f"{street_key}{c}社区")
            areas[f"community_{street_key}{c}"] = community
            for g in (1, 2):
                areas[f"grid_{street_key}{c}{g}"] = GridFactory(community=community, name=f"{street_key}{c}-{g}网格")
    return areas
