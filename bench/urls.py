"""The project's URLs plus a do-nothing view: the floor a real endpoint is compared with."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as project_urls


def noop(request):
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/noop", noop), *project_urls]
