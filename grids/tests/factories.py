import factory
from django.contrib.auth import get_user_model

from grids.models import AreaLevel, Community, District, Grid, Role, Street
from grids.scoping import SYSTEM
from grids.services import staff_account_create

PASSWORD = "Test#pass2026"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    code = factory.Sequence(lambda n: f"{120101 + n}")
    name = factory.Sequence(lambda n: f"测试{n}区")


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"{n:03d}")
    name = factory.Sequence(lambda n: f"测试{n}街道")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    district = factory.SelfAttribute("street.district")
    code = factory.Sequence(lambda n: f"{n:03d}")
    name = factory.Sequence(lambda n: f"测试{n}社区")


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    community = factory.SubFactory(CommunityFactory)
    street = factory.SelfAttribute("community.street")
    district = factory.SelfAttribute("community.district")
    code = factory.Sequence(lambda n: f"{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}网格")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


_counter = iter(range(10**6))

DEFAULT_ROLE_FOR_LEVEL = {
    AreaLevel.DISTRICT: Role.BUREAU_LEADER,
    AreaLevel.STREET: Role.STATION_STAFF,
    AreaLevel.COMMUNITY: Role.STATION_STAFF,
    AreaLevel.GRID: Role.GRID_WORKER,
}


def make_staff(area=None, *, grids=(), role=None, username=None):
    """A staff account scoped to `area` (or to `grids`), built through the real service."""
    grids = list(grids)
    level = AreaLevel.GRID if grids else area.level
    if level == AreaLevel.GRID and not grids:
        grids = [area]
    profile = staff_account_create(
        username=username or f"staff{next(_counter)}",
        password=PASSWORD,
        full_name="测试人员",
        role=role or DEFAULT_ROLE_FOR_LEVEL[level],
        scope_level=level,
        area=None if level == AreaLevel.GRID else area,
        grids=grids,
        acting_user=SYSTEM,
    )
    return profile.user
