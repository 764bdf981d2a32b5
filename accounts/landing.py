"""Where each person starts after logging in (`/`, LOGIN_REDIRECT_URL): leaders and the city's
own staff on the figures, stations in the admin's workbench, grid teams on the phone pages.
Every page they land on carries the staff bar (or the phone's tabs), so nobody is stranded."""

from grids.models import AreaLevel, Role
from grids.scoping import user_scope

# The routes by name: those of apps above accounts are named, not imported.
DASHBOARD, WORKBENCH, PHONE = "dashboard:board", "admin:index", "mobile:home"


def landing_url_name(user) -> str:
    if not user.is_staff:
        return PHONE
    scope = user_scope(user)
    looks_at_figures = scope is not None and (scope.role == Role.BUREAU_LEADER or scope.level == AreaLevel.CITY)
    if looks_at_figures and user.has_perm("dashboard.view_dashboard"):
        return DASHBOARD
    return WORKBENCH
