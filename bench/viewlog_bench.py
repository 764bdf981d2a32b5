"""Issue 17 item 5 figure: the phone card with its read log ("who opened this file"), against
the same card with the log switched off (the floor): one INSERT more, and little time."""

from unittest import mock

from django.urls import reverse
from rest_framework.test import APIClient

from bench.measure import Result, summarise, time_calls
from bench.visits_bench import _busiest_worker
from veterans.models import Veteran
from visits import mobile


def bench_card_view() -> list[Result]:
    user = _busiest_worker()
    veterans = list(Veteran.objects.filter(grid__in=user.staff_profile.grids.all()).values_list("id", flat=True)[:50])
    web = APIClient()
    web.force_login(user)  # a session, as a phone's: scope and permissions loaded per request

    def card(i):
        assert web.get(reverse("mobile:card", args=[veterans[i % len(veterans)]])).status_code == 200

    with mock.patch.object(mobile, "veteran_record_view", lambda **kwargs: None):
        floor_timings, floor_queries = time_calls(card, repeats=40)
    timings, queries = time_calls(card, repeats=40)
    result = summarise("phone card /m/v/<id>/ with read log", timings, queries, target="p50 ≤ 50 ms, +1 query (INSERT)")
    floor_p50 = sorted(floor_timings)[len(floor_timings) // 2]
    result.extra = {
        "without_log_p50_ms": round(floor_p50, 2),
        "without_log_queries": floor_queries,
        "extra_ms": round(result.p50_ms - floor_p50, 2),
    }
    result.met = result.p50_ms <= 50 and queries == floor_queries + 1
    return [result]


MEASURES = {"card": bench_card_view}
