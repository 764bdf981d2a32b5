"""The phone app's offline parts under /m/: manifest, service worker, the cached snapshot of the
worker's area, the offline page that draws cards and forms from it, and the upload queue page."""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from appeals.forms import AppealForm
from assistance.forms import CaseForm
from audit.models import AuditAction
from audit.services import audit_record
from offline.contact import ContactForm
from offline.selectors import phone_snapshot
from visits.forms import EventForm, VisitForm
from visits.selectors import team_users, unread_count
from wishes.forms import WishForm

# What the phone needs to draw any page without signal.
SHELL_STATIC = [
    "css/app.css",
    "js/offline.js",
    "js/offline_pages.js",
    "icons/app-192.png",
    "icons/app-512.png",
]


def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("网格走访"),
        "short_name": _("网格走访"),
        "lang": "zh-CN",
        "start_url": "/m/",
        "scope": "/m/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [
            {"src": static("icons/app-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/app-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@lru_cache(maxsize=1)
def _worker_source() -> str:
    return (Path(settings.BASE_DIR) / "offline" / "worker" / "sw.js").read_text(encoding="utf-8")


def _shell_urls() -> list[str]:
    return ["/m/offline/", "/m/offline/queue/", "/m/manifest.webmanifest", *(static(path) for path in SHELL_STATIC)]


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /m/ so that its scope is the phone app; a new version (new code or new static
    files) replaces the old caches."""
    urls = _shell_urls()
    source = _worker_source()
    version = hashlib.sha256((source + "".join(urls)).encode()).hexdigest()[:12]
    header = f"const VERSION = {version!r};\nconst SHELL = {urls!r};\n"
    response = HttpResponse(header + source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/m/"
    return response


@never_cache
@login_required
def snapshot(request: HttpRequest) -> JsonResponse:
    """The worker's area for the phone's cache; one audit row per download, with its size."""
    data = phone_snapshot(user=request.user)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        request=request,
        detail={"offline_cache": len(data["people"])},
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
def shell(request: HttpRequest) -> HttpResponse:
    """Blank forms for any person, drawn into place by static/js/offline.js from the snapshot."""
    context = {
        "visit_form": VisitForm(companions=team_users(user=request.user).exclude(pk=request.user.pk)),
        "event_form": EventForm(),
        "case_form": CaseForm(),
        "contact_form": ContactForm(),
        "appeal_form": AppealForm(),
        "wish_form": WishForm(),
        "unread": unread_count(user=request.user),
    }
    return render(request, "offline/shell.html", context)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "offline/queue.html", {"unread": unread_count(user=request.user)})
