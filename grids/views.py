from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grids.scoping import user_scope
from grids.selectors import grid_team, grids_for


@login_required
def my_grid(request: HttpRequest) -> HttpResponse:
    """A grid team member's home: their grids, station contacts and team."""
    grids = list(grids_for(user=request.user)[:50])
    communities = {grid.community_id: grid.community for grid in grids}
    context = {
        "scope": user_scope(request.user),
        "grids": grids,
        "communities": list(communities.values()),
        "team": grid_team(user=request.user) if grids else [],
        # Whoever has an authenticator reaches this page only verified, so no query is needed.
        "second_factor_on": request.user.is_verified(),
    }
    return render(request, "grids/my_grid.html", context)
