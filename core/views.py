from django.http import HttpRequest, JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound


def page_not_found(request: HttpRequest, exception):
    """A path under /api/ that no route matches (`/api/veterans/1.5/`) answers JSON, like every
    other API error, rather than the HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
