from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import DOWN, health_report


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 503 only when the database is unreachable."""
    report = health_report()
    return JsonResponse(report.as_dict(), status=503 if report.status == DOWN else 200)


def home(request: HttpRequest):
    """Stations and the bureau work in the admin; grid teams on their own pages."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("mobile:home")
