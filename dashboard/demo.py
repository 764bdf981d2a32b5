"""A year of dashboard history for a new demo, so its monthly trends are drawn at once (the
nightly snapshot job would take a year to draw them).

Each earlier month gets one snapshot per grid, dated the month's last day (this month: yesterday):
its day figures hold the whole month's visits and payments (the trend adds up a month's rows, so
it reads the same as from daily snapshots), and its state is worked out from the ledgers as they
stood at that day: visit coverage from the visits, open cases from their steps, open appeals from
their dates. Who is counted (people, honours, party members ...) is today's.
"""

import bisect
import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from appeals.models import Appeal, AppealStatus
from assistance.models import CaseStep, HardshipCase
from dashboard.figures import CASE_OVERDUE_DAYS, OPEN_CASES, midnight
from dashboard.models import GridSnapshot
from dashboard.snapshots import DAY_FIELDS, STATE_FIELDS, snapshot_take, snapshots_upsert
from veterans.models import LifeStatus, Veteran
from visits.models import Visit

DEFAULT_INTERVAL_DAYS = 90  # a record without a visit interval (none after the demo's schedule)
HISTORY_FIELDS = ["covered", "overdue", "cases_open", "cases_overdue", "appeals_open", "appeals_overdue"]


def _periods(months: int, today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """(first day, last day) of each of the `months` months up to this one, oldest first; this
    month ends yesterday (today is the nightly job's), and is left out when it began today."""
    periods, first = [], today.replace(day=1)
    last = today - datetime.timedelta(days=1)
    for _ in range(months):
        if last >= first:
            periods.append((first, last))
        last = first - datetime.timedelta(days=1)
        first = last.replace(day=1)
    return periods[::-1]


def build_demo_history(*, months: int = 12, today: datetime.date | None = None) -> int:
    """Today's snapshot and the month-end snapshots before it; returns the rows written."""
    today = today or timezone.localdate()
    written = snapshot_take(day=today)
    periods = _periods(months, today)
    if not periods:
        return written
    ends = [last for _first, last in periods]
    period_of = {}  # a day of the history -> the last day of its period
    for first, last in periods:
        for offset in range((last - first).days + 1):
            period_of[first + datetime.timedelta(days=offset)] = last
    start, stop = midnight(periods[0][0]), midnight(today)

    happened: dict[tuple[int, datetime.date], dict] = defaultdict(
        lambda: {"visits": 0, "paid_cases": 0, "paid_amount": Decimal("0"), "days_to_payment_sum": 0}
    )
    state: dict[tuple[int, datetime.date], dict] = defaultdict(lambda: dict.fromkeys(HISTORY_FIELDS, 0))
    _count_visits_and_coverage(happened, state, periods, ends, period_of, stop)
    for grid_id, paid_at, amount, reported_on in HardshipCase.objects.filter(
        paid_at__gte=start, paid_at__lt=stop
    ).values_list("grid_id", "paid_at", "amount_approved", "reported_on"):
        paid_on = timezone.localtime(paid_at).date()
        figures = happened[grid_id, period_of[paid_on]]
        figures["paid_cases"] += 1
        figures["paid_amount"] += amount or 0
        figures["days_to_payment_sum"] += (paid_on - reported_on).days
    _count_open_cases(state, ends)
    _count_open_appeals(state, ends)

    snapshots = []
    for today_row in GridSnapshot.objects.filter(day=today):
        for end in ends:
            key = (today_row.grid_id, end)
            snapshot = GridSnapshot(
                day=end,
                **{name: getattr(today_row, name) for name in STATE_FIELDS},
                **dict.fromkeys(DAY_FIELDS, 0),
            )
            for figures in (happened.get(key), state.get(key)):
                for name, value in (figures or {}).items():
                    setattr(snapshot, name, value)
            for key_name in ("grid_id", "community_id", "street_id", "district_id"):
                setattr(snapshot, key_name, getattr(today_row, key_name))
            snapshots.append(snapshot)
    snapshots_upsert(snapshots)
    return written + len(snapshots)


def _count_visits_and_coverage(happened, state, periods, ends, period_of, stop) -> None:
    """Visits per grid and month; and at each month's end, who was visited within their interval
    (covered) and who was not (overdue), as the live board counts them then."""
    people = list(
        Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE).values_list(
            "id", "grid_id", "visit_interval_days"
        )
    )
    longest = max((interval or DEFAULT_INTERVAL_DAYS for _pk, _grid, interval in people), default=0)
    since = midnight(periods[0][0] - datetime.timedelta(days=longest))
    visited_on: dict[int, list[datetime.date]] = defaultdict(list)
    for veteran_id, grid_id, visited_at in Visit.objects.filter(visited_at__gte=since, visited_at__lt=stop).values_list(
        "veteran_id", "grid_id", "visited_at"
    ):
        day = timezone.localtime(visited_at).date()
        visited_on[veteran_id].append(day)
        if day in period_of:
            happened[grid_id, period_of[day]]["visits"] += 1
    for veteran_id, grid_id, interval in people:
        days = sorted(visited_on.get(veteran_id, ()))
        for end in ends:
            last = bisect.bisect_right(days, end)
            due = days[last - 1] + datetime.timedelta(days=interval or DEFAULT_INTERVAL_DAYS) if last else None
            state[grid_id, end]["covered" if due is not None and due >= end else "overdue"] += 1


def _count_open_cases(state, ends) -> None:
    """Cases open at each month's end: the status their steps had reached by then."""
    reported = dict(HardshipCase.objects.values_list("id", "reported_on"))
    grids = dict(HardshipCase.objects.values_list("id", "grid_id"))
    steps: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    for case_id, at, to_status in CaseStep.objects.order_by("at", "id").values_list("case_id", "at", "to_status"):
        steps[case_id].append((timezone.localtime(at).date(), to_status))
    for case_id, history in steps.items():
        for end in ends:
            reached = [status for day, status in history if day <= end]
            if reached and reached[-1] in OPEN_CASES:
                state[grids[case_id], end]["cases_open"] += 1
                if reported[case_id] < end - datetime.timedelta(days=CASE_OVERDUE_DAYS):
                    state[grids[case_id], end]["cases_overdue"] += 1


def _count_open_appeals(state, ends) -> None:
    """Appeals open at each month's end: received by then and not yet resolved."""
    appeals = Appeal.objects.exclude(status=AppealStatus.CANCELLED).values_list(
        "grid_id", "received_on", "resolved_on", "deadline"
    )
    for grid_id, received_on, resolved_on, deadline in appeals:
        for end in ends:
            if received_on <= end and (resolved_on is None or resolved_on > end):
                state[grid_id, end]["appeals_open"] += 1
                if deadline < end:
                    state[grid_id, end]["appeals_overdue"] += 1
