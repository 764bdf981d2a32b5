"""The grid worker's map on the phone (我的网格 › 今日路线): the grid, today's due people as
points and the order to visit them in, nearest next."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from grids.selectors import grids_for
from maps.selectors import map_grid, todays_round


def _start(text: str) -> tuple[float, float] | None:
    """The phone's position, sent as ?from=lon,lat when the worker allows it."""
    try:
        longitude, latitude = (float(v) for v in text.split(","))
    except ValueError:
        return None
    if -180 <= longitude <= 180 and -90 <= latitude <= 90:
        return longitude, latitude
    return None


@login_required
def today_route(request):
    grids = list(grids_for(user=request.user)[:50])
    if not grids:
        raise Http404
    chosen = request.GET.get("grid")
    grid = map_grid(user=request.user, grid_id=chosen) if chosen else grids[0]
    stops = todays_round(
        user=request.user, grid=grid, today=timezone.localdate(), start=_start(request.GET.get("from", ""))
    )
    context = {
        "grid": grid,
        "grids": grids,
        "stops": stops,
        "map": {
            "areas_url": f"{reverse('api-map-areas')}?level=grid&id={grid.pk}&detail=full",
            "stops": [
                {"name": s["name"], "value": [float(s["longitude"]), float(s["latitude"])], "status": s["status"]}
                for s in stops
            ],
        },
    }
    return render(request, "maps/today_route.html", context)
