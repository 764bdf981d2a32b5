"""Issue 21 figures: the city map's GeoJSON of 5,000 grids (coarse geometry: p95 ≤ 300 ms and
≤ 2 MB) and one grid's 300 homes as points (p95 ≤ 100 ms), through the API as a city leader and
a grid worker would ask for them.

Districts without boundaries are outlined once (maps.demo: rectangles tiling each district
down to its grids, stored through the same checks as an upload) and kept. The grid of 300
homes is made for the run inside a transaction that is rolled back.

`make bench` runs it on PostgreSQL (section `maps`); on SQLite it runs alone and builds a city
of 5,000 grids first if the database is empty:
    SQLITE_PATH=/tmp/maps-bench.sqlite3 python manage.py migrate
    SQLITE_PATH=/tmp/maps-bench.sqlite3 python -m bench.maps_alone
"""

import datetime
import random
import secrets
import time

from django.db import transaction
from django.test import Client

from accounts.testing import verified_login
from bench.measure import Result, summarise, time_calls
from core.errors import ApplicationError
from grids.models import AreaLevel, Community, District, Grid, Role
from grids.scoping import SYSTEM
from grids.services import area_create, staff_account_create
from maps.demo import district_bounds, outline_district, place_demo_homes
from maps.models import AreaBoundary
from veterans.identity import make_id_number
from veterans.services import veteran_create

HOMES = 300
AREAS_TARGET_MS, AREAS_TARGET_BYTES, HOMES_TARGET_MS = 300, 2 * 1024 * 1024, 100


class _RollBack(Exception):
    pass


def outline_city() -> int:
    """Boundaries for every district that has none; returns how many districts were outlined."""
    done = set(AreaBoundary.objects.filter(level=AreaLevel.DISTRICT).values_list("district_id", flat=True))
    outlined = 0
    for index, district in enumerate(District.objects.order_by("code")):
        if district.pk not in done:
            outline_district(district, district_bounds(index))
            outlined += 1
    return outlined


def _user(username: str, role: str, level: str, **scope):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = staff_account_create(
            username=username,
            password=secrets.token_urlsafe(24),
            full_name="地图测试",
            role=role,
            scope_level=level,
            acting_user=SYSTEM,
            **scope,
        ).user
    return user


def bench_city_map() -> Result:
    client = Client()
    verified_login(client, _user("bench_map_city", Role.BUREAU_LEADER, AreaLevel.CITY))
    url = "/api/map/areas/?level=city&id=0&show=grid&detail=coarse"
    sizes = []

    def call(_i):
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        sizes.append(len(response.content))

    timings, queries = time_calls(call, repeats=20)
    grids = len(client.get(url).json()["features"])
    result = summarise(f"city map GeoJSON, {grids} grids (coarse)", timings, queries)
    result.target = f"p95 ≤ {AREAS_TARGET_MS} ms, ≤ 2 MB"
    result.met = result.p95_ms <= AREAS_TARGET_MS and max(sizes) <= AREAS_TARGET_BYTES and grids >= 5000
    result.extra = {"bytes": max(sizes), "grids": grids}
    return result


def _grid_of_homes(people: int) -> Grid:
    community = Community.objects.order_by("id").first()
    tag = secrets.token_hex(3).upper()
    grid = area_create(level=AreaLevel.GRID, parent=community, code=f"MB{tag}", name="地图测试网格", acting_user=SYSTEM)
    birth, sequence, made = datetime.date(1950, 5, 6), 0, 0
    today = datetime.date.today()
    while made < people:
        sequence += 1
        try:
            veteran_create(
                grid=grid,
                acting_user=SYSTEM,
                name=f"地图{made:03d}",
                gender="M",
                birth_date=birth,
                id_number=make_id_number("120102", birth, sequence % 999, "M"),
                veteran_type="discharged_soldier",
            )
        except ApplicationError:
            continue  # that ID number is taken in this city
        made += 1
    # Some due, some overdue: the points are coloured by it.
    from veterans.models import Veteran

    for offset, pk in enumerate(Veteran.objects.filter(grid=grid).values_list("pk", flat=True)):
        Veteran.objects.filter(pk=pk).update(visit_due_on=today + datetime.timedelta(days=offset % 30 - 10))
    cell = (117.0, 39.0, 117.01, 39.01)
    place_demo_homes({grid.pk: cell}, random.Random(1))
    return grid


def bench_grid_homes(people: int = HOMES) -> Result:
    result = None
    try:
        with transaction.atomic():
            grid = _grid_of_homes(people)
            client = Client()
            worker = _user(f"bench_map_{grid.code.lower()}", Role.GRID_WORKER, AreaLevel.GRID, grids=[grid])
            verified_login(client, worker)
            url = f"/api/map/homes/?grid={grid.pk}"

            def call(_i):
                response = client.get(url)
                assert response.status_code == 200, response.content[:300]

            timings, queries = time_calls(call, repeats=30)
            points = len(client.get(url).json()["features"])
            result = summarise(f"grid map points, {points} homes", timings, queries)
            result.target = f"p95 ≤ {HOMES_TARGET_MS} ms"
            result.met = result.p95_ms <= HOMES_TARGET_MS and points == people
            raise _RollBack
    except _RollBack:
        pass
    return result


def bench_maps() -> list[Result]:
    started = time.monotonic()
    outlined = outline_city()
    if outlined:
        print(f"  outlined {outlined} districts in {time.monotonic() - started:.1f} s", flush=True)
    return [bench_city_map(), bench_grid_homes()]


MEASURES = {"maps": bench_maps}


def run_alone() -> int:
    """The maps figures without the rest of `make bench` (bench.maps_alone), on any database."""
    from bench.run import print_table
    from grids.demo import build_demo_area

    if not District.objects.exists():
        print("building a city of 8 districts × 625 grids", flush=True)
        build_demo_area(districts=8, streets=6, communities=64, grids=625, workers_per_grid=0)
    results = bench_maps()
    print_table(results)
    return 0 if all(r.met for r in results) else 1
