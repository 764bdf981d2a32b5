import time

from maps.demo import build_demo_maps
from maps.models import AreaBoundary, HomePosition
from veterans.tests.factories import make_veteran


def test_the_demo_tiles_the_district_and_puts_homes_in_their_grids(tree):
    people = [make_veteran(tree[key]) for key in ("grid_a11", "grid_a12", "grid_b21", "grid_b22")]
    started = time.monotonic()
    areas, homes = build_demo_maps(seed=7)
    assert time.monotonic() - started < 5
    assert areas == 15 and homes == len(people)
    assert HomePosition.objects.filter(outside_grid=False).count() >= 3
    # Again: nothing new to draw, nobody without a home.
    assert build_demo_maps(seed=7) == (0, 0)
    assert AreaBoundary.objects.filter(level="grid").count() == 8


def test_the_demo_command_option_draws_the_map(tree):
    from io import StringIO

    from django.core.management import call_command

    make_veteran(tree["grid_a11"])
    out = StringIO()
    call_command("seed_demo", "--maps", stdout=out)
    assert "已生成区域边界 15 个、住址定位 1 个" in out.getvalue()
