"""Issue 18 figures: what the phone app weighs and how fast its offline data comes.

Bytes are the server's responses as sent (no compression configured), for one grid worker of
the city: each page ≤ 50 KB, the app shell (what the service worker keeps to draw any page
offline) ≤ 150 KB. The snapshot is the worker's whole area for the phone's cache."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse
from rest_framework.test import APIClient

from bench.measure import Result, summarise, time_calls
from bench.visits_bench import _busiest_worker
from offline.views import SHELL_STATIC
from veterans.models import Veteran

PAGE_LIMIT = 50 * 1024
SHELL_LIMIT = 150 * 1024


def _size(response) -> int:
    return len(response.content)


def bench_phone() -> list[Result]:
    user = _busiest_worker()
    person = Veteran.objects.filter(grid__in=user.staff_profile.grids.all()).order_by("id").first()
    web = APIClient()
    web.force_login(user)
    pages = {
        "due list /m/": reverse("mobile:home"),
        "card": reverse("mobile:card", args=[person.pk]),
        "visit form": reverse("mobile:visit", args=[person.pk]),
        "hardship form": reverse("mobile:hardship", args=[person.pk]),
        "offline page": reverse("offline:shell"),
        "queue page": reverse("offline:queue"),
    }
    sizes = {name: _size(web.get(url)) for name, url in pages.items()}
    statics = {path: Path(finders.find(path)).stat().st_size for path in SHELL_STATIC}
    manifest = _size(web.get(reverse("offline:manifest")))
    worker = _size(web.get(reverse("offline:service_worker")))
    shell = sizes["offline page"] + sizes["queue page"] + manifest + worker + sum(statics.values())
    largest = max(sizes, key=sizes.get)
    page_result = Result(
        name=f"phone pages, largest: {largest}",
        rate=sizes[largest] / 1024,
        rate_unit="KB",
        target="each page ≤ 50 KB, shell ≤ 150 KB",
        met=sizes[largest] <= PAGE_LIMIT and shell <= SHELL_LIMIT,
        extra={
            "pages_bytes": sizes,
            "shell_bytes": shell,
            "static_bytes": statics,
            "manifest_bytes": manifest,
            "service_worker_bytes": worker,
            "taps_to_a_saved_visit": "4 (tests/test_browser_visit_form.py asserts it)",
        },
    )

    def snapshot(_i):
        assert web.get(reverse("offline:snapshot")).status_code == 200

    timings, queries = time_calls(snapshot, repeats=20)
    data = web.get(reverse("offline:snapshot"))
    snapshot_result = summarise(
        f"phone snapshot of the worker's area ({len(data.json()['people'])} people)",
        timings,
        queries,
        target="p50 ≤ 300 ms",
    )
    snapshot_result.met = snapshot_result.p50_ms <= 300
    snapshot_result.extra = {"bytes": _size(data)}
    return [page_result, snapshot_result]


MEASURES = {"phone": bench_phone}
