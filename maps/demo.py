"""Demo maps for `make run`: each district a rectangle near Tianjin's centre, cut into its
streets, communities and grids (nested, no overlaps), and every demo person's home at a random
spot inside their grid, a few of them just outside it (for the 住址在网格外 list). Stored
through the services, so the demo's boundaries pass the same checks as an upload."""

import random
from decimal import Decimal

from grids.models import AreaLevel, Community, District, Grid, Street
from grids.scoping import SYSTEM
from maps.boundaries import boundaries_save
from maps.homes import homes_place_many
from maps.models import AreaBoundary, HomePosition, HomeSource
from maps.tiling import Bounds, point_inside, rectangle, tiles
from veterans.models import Veteran

# Heping district lies about here (lon 117.17–117.23, lat 39.10–39.14); others sit beside it.
FIRST_DISTRICT = (117.17, 39.10, 117.23, 39.14)
OUTSIDE_SHARE = 0.02  # of the homes placed just over their grid's edge
MICRO = Decimal("0.000001")


def district_bounds(index: int) -> Bounds:
    west, south, east, north = FIRST_DISTRICT
    width = east - west
    return (west + index * width, south, east + index * width, north)


def outline_district(district: District, bounds: Bounds, acting_user=SYSTEM) -> dict[int, Bounds]:
    """Store boundaries tiling `bounds` for the district and every area below it (a district's
    areas are listed by code, so their codes may repeat under other parents); returns each
    grid's rectangle by grid id."""
    placed = {AreaLevel.DISTRICT: [(district, bounds)]}
    children = {
        AreaLevel.STREET: (Street.objects.filter(district=district), "district_id"),
        AreaLevel.COMMUNITY: (Community.objects.filter(district=district), "street_id"),
        AreaLevel.GRID: (Grid.objects.filter(district=district), "community_id"),
    }
    above = AreaLevel.DISTRICT
    for level, (areas, parent_key) in children.items():
        by_parent: dict[int, list] = {}
        for area in areas.order_by("code", "pk"):
            by_parent.setdefault(getattr(area, parent_key), []).append(area)
        placed[level] = [
            (child, cell)
            for parent, parent_bounds in placed[above]
            for child, cell in zip(
                by_parent.get(parent.pk, []), tiles(parent_bounds, len(by_parent.get(parent.pk, []))), strict=False
            )
        ]
        above = level
    for level, pairs in placed.items():
        report = boundaries_save(
            level=level, shapes=[(area, rectangle(cell)) for area, cell in pairs], acting_user=acting_user
        )
        if not report.ok:
            raise ValueError(f"demo boundaries refused: {report.errors[:3]}")
    return {grid.pk: cell for grid, cell in placed[AreaLevel.GRID]}


def _degrees(value: float) -> Decimal:
    return Decimal(f"{value:.6f}").quantize(MICRO)


def place_demo_homes(grid_cells: dict[int, Bounds], rng: random.Random, acting_user=SYSTEM) -> int:
    """A home for every living person of these grids that has none yet."""
    people = Veteran.objects.filter(grid_id__in=grid_cells, removed_at__isnull=True).exclude(
        pk__in=HomePosition.objects.values("veteran_id")
    )
    positions = []
    for veteran in people.select_related("grid").order_by("pk"):
        cell = grid_cells[veteran.grid_id]
        if rng.random() < OUTSIDE_SHARE:
            west, south, east, north = cell
            longitude, latitude = east + (east - west) * 0.3, (south + north) / 2  # over the east edge
        else:
            longitude, latitude = point_inside(cell, rng.random(), rng.random())
        positions.append((veteran, _degrees(longitude), _degrees(latitude)))
    if not positions:
        return 0
    return homes_place_many(
        positions=positions, source=HomeSource.IMPORT, acting_user=acting_user, detail={"kind": "demo_homes"}
    )


def build_demo_maps(*, seed: int = 2026) -> tuple[int, int]:
    """Boundaries for every district without them, then homes for the people of outlined grids
    who have none (a grid's demo boundary is its bounding box); returns (areas outlined, homes)."""
    rng = random.Random(seed)
    before = AreaBoundary.objects.count()
    done = set(AreaBoundary.objects.filter(level=AreaLevel.DISTRICT).values_list("district_id", flat=True))
    for index, district in enumerate(District.objects.order_by("code")):
        if district.pk not in done:
            outline_district(district, district_bounds(index))
    # The stored boxes are exact Decimals; the demo scatters homes in them with float tiling
    # arithmetic, and `_degrees` makes each home's position exact again.
    cells = {
        grid_id: tuple(float(corner) for corner in box)
        for grid_id, *box in AreaBoundary.objects.filter(level=AreaLevel.GRID).values_list(
            "grid_id", "min_lon", "min_lat", "max_lon", "max_lat"
        )
    }
    return AreaBoundary.objects.count() - before, place_demo_homes(cells, rng)
