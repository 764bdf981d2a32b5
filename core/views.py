from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.views import defaults
from rest_framework.exceptions import NotFound


def home(request: HttpRequest):
    """Stations and the bureau work in the admin; grid teams on their own pages."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("mobile:home")


def page_not_found(request: HttpRequest, exception):
    """A path under /api/ that no route matches (`/api/veterans/1.5/`) answers JSON, like every
    other API error, rather than the HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
