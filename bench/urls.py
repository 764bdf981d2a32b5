"""The project's URLs plus a minimal view: the floor a real endpoint is compared with. It does
what every endpoint of a logged-in user must (find the session and the user) and nothing more."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as project_urls


def noop(request):
    if not request.user.is_authenticated:
        return JsonResponse({"ok": False}, status=403)
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/noop", noop), *project_urls]
