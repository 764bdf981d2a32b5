"""Rectangles that tile an area: the plausible boundaries of the demo, the bench and the tests
(a district cut into streets, each street into communities, each community into grids)."""

import math

Bounds = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def rectangle(bounds: Bounds, digits: int = 6) -> dict:
    """A GeoJSON Polygon of the rectangle (outer ring counter-clockwise, closed)."""
    west, south, east, north = (round(v, digits) for v in bounds)
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


def tiles(bounds: Bounds, parts: int) -> list[Bounds]:
    """`parts` rectangles filling `bounds` without overlap: rows of near-square cells, the last
    row stretched over what is left."""
    if parts <= 1:
        return [bounds]
    west, south, east, north = bounds
    columns = max(1, math.ceil(math.sqrt(parts * (east - west) / max(north - south, 1e-9))))
    columns = min(columns, parts)
    rows = math.ceil(parts / columns)
    height = (north - south) / rows
    cells = []
    for row in range(rows):
        in_row = columns if row < rows - 1 else parts - columns * (rows - 1)
        width = (east - west) / in_row
        top = north - row * height
        for column in range(in_row):
            cells.append((west + column * width, top - height, west + (column + 1) * width, top))
    return cells


def point_inside(bounds: Bounds, fraction_x: float, fraction_y: float) -> tuple[float, float]:
    """A point at the given fractions (0–1) across the rectangle, kept off its edges."""
    west, south, east, north = bounds
    margin = 0.1
    fx = margin + (1 - 2 * margin) * fraction_x
    fy = margin + (1 - 2 * margin) * fraction_y
    return west + (east - west) * fx, south + (north - south) * fy
