"""Issue 4 figures: the grid worker's due list, visit submit against a minimal view, and the
daily reminder job over the whole city."""

import time
import uuid

from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from bench.measure import Result, summarise, time_calls
from grids.models import Role, StaffProfile
from veterans.models import Veteran
from visits.models import Visit
from visits.reminders import send_daily_reminders


def _busiest_worker():
    """A grid worker whose grid holds a typical number of veterans."""
    profile = (
        StaffProfile.objects.filter(role=Role.GRID_WORKER, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return profile.user


def bench_due_list() -> list[Result]:
    user = _busiest_worker()
    api = APIClient()
    api.force_authenticate(user)
    web = APIClient()
    web.force_login(user)
    size = Veteran.objects.filter(grid__in=user.staff_profile.grids.all()).count()

    def due_api(_i):
        assert api.get("/api/visits/due/").status_code == 200

    def due_page(_i):
        assert web.get("/m/").status_code == 200

    results = []
    for name, call in ((f"due list API, one grid ({size} veterans)", due_api), ("due list page /m/", due_page)):
        timings, queries = time_calls(call, repeats=40)
        result = summarise(name, timings, queries, target="p50 ≤ 50 ms")
        result.met = result.p50_ms <= 50
        results.append(result)
    return results


def bench_visit_submit() -> list[Result]:
    user = _busiest_worker()
    veterans = list(Veteran.objects.filter(grid__in=user.staff_profile.grids.all()).values_list("id", flat=True)[:50])
    # One logged-in session for both: each request finds its session and user, as a phone's
    # would (force_authenticate would hand the submit a user object whose permissions and
    # scope stay loaded from one request to the next, which no real request gets).
    api = APIClient()
    api.force_login(user)
    created: list[str] = []

    def submit(i):
        client_id = str(uuid.uuid4())
        created.append(client_id)
        payload = {"client_id": client_id, "veteran": veterans[i % len(veterans)], "method": "home", "money": "100.00"}
        assert api.post("/api/visits/", payload, format="json").status_code == 200

    def noop(_i):
        assert api.post("/bench/noop", {"x": 1}, format="json").status_code == 201

    with override_settings(ROOT_URLCONF="bench.urls"):
        submit_timings, submit_queries = time_calls(submit, repeats=60)
        noop_timings, noop_queries = time_calls(noop, repeats=60)
    from bench.http_bench import bench_http_submit

    profiles = StaffProfile.objects.filter(role=Role.GRID_WORKER, user__is_active=True).select_related("user")
    workers = [
        (profile.user.username, list(Veteran.objects.filter(grid__in=profile.grids.all()).values_list("id", flat=True)))
        for profile in profiles.order_by("id")[:4]
    ]
    http_results = bench_http_submit(workers)
    Visit.objects.filter(client_id__in=created).delete()
    touched = veterans + [pk for _name, ids in workers for pk in ids]
    Visit.objects.filter(veteran_id__in=touched, created_at__gte=timezone.now() - timezone.timedelta(hours=1)).delete()
    submit_rate = 1000 / (sum(submit_timings) / len(submit_timings))
    noop_rate = 1000 / (sum(noop_timings) / len(noop_timings))
    share = submit_rate / noop_rate
    return [
        # One client, one request at a time: this is latency (the statement's round trip is
        # waited out in full). The target is the server's throughput, measured over HTTP below.
        summarise(
            "visit submit (API POST, in process, one client)",
            submit_timings,
            submit_queries,
            rate=round(submit_rate),
            rate_unit="req/s",
            extra={"share_of_minimal_view": round(share, 3)},
        ),
        summarise(
            "minimal Django view (same stack)", noop_timings, noop_queries, rate=round(noop_rate), rate_unit="req/s"
        ),
        *http_results,
    ]


def bench_reminders() -> list[Result]:
    total = Veteran.objects.count()
    started = time.perf_counter()
    with transaction.atomic():
        report = send_daily_reminders(timezone.localdate())
        transaction.set_rollback(True)  # measure the job, keep the database as it was
    seconds = time.perf_counter() - started
    return [
        Result(
            name=f"daily reminder job ({total:,} veterans)",
            rate=round(seconds, 1),
            rate_unit="s",
            target="≤ 120 s",
            met=seconds <= 120,
            extra={"notifications": report.notifications, "grids_with_work": report.grids_with_work},
        )
    ]


MEASURES = {"due": bench_due_list, "submit": bench_visit_submit, "reminders": bench_reminders}
