"""Reads behind the dashboard: which area the user may open, and the monthly trend."""

import datetime
from decimal import Decimal

from django.db.models import Max, Sum
from django.db.models.functions import TruncMonth

from core.numbers import percent_of, ratio
from dashboard.figures import in_area
from dashboard.models import GridSnapshot
from grids.models import AreaLevel, the_city
from grids.scoping import in_scope, scope_queryset
from grids.selectors import area_for  # noqa: F401  (the dashboard's views and API read it from here)

CENT = Decimal("0.01")
PARENT = {AreaLevel.STREET: "district", AreaLevel.COMMUNITY: "street", AreaLevel.GRID: "community"}


def _parent(area):
    return the_city() if area.level == AreaLevel.DISTRICT else getattr(area, PARENT[area.level])


def breadcrumbs(*, user, area) -> list:
    """The area's ancestors the user may open, top first, then the area itself."""
    trail, current = [area], area
    while current.level != AreaLevel.CITY:
        current = _parent(current)
        if not in_scope(user, current):
            break
        trail.append(current)
    return list(reversed(trail))


def monthly_trend(*, user, area, months: int = 12, today: datetime.date | None = None) -> list[dict]:
    """Per month from the snapshots: visits, cases paid and money paid in the month (and the average
    days from report to payment of those cases); coverage, open cases and open appeals at its last day."""
    today = today or datetime.date.today()
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    snapshots = scope_queryset(user, GridSnapshot.objects.filter(day__gte=first)).filter(**in_area(area.level, area.pk))
    by_month = {
        row["month"]: row
        for row in snapshots.order_by()
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(
            visits=Sum("visits"),
            paid=Sum("paid_amount"),
            paid_cases=Sum("paid_cases"),
            days_to_payment=Sum("days_to_payment_sum"),
            last_day=Max("day"),
        )
    }
    last_days = [row["last_day"] for row in by_month.values()]
    at_month_end = {
        row["day"]: row
        for row in snapshots.filter(day__in=last_days)
        .order_by()
        .values("day")
        .annotate(
            veterans=Sum("veterans"),
            covered=Sum("covered"),
            overdue=Sum("overdue"),
            cases_open=Sum("cases_open"),
            appeals_open=Sum("appeals_open"),
        )
    }
    trend = []
    for month in sorted(by_month):
        row, end = by_month[month], at_month_end.get(by_month[month]["last_day"], {})
        veterans, paid_cases = end.get("veterans") or 0, row["paid_cases"] or 0
        trend.append(
            {
                "month": month.strftime("%Y-%m"),
                "visits": row["visits"] or 0,
                "paid": str(Decimal(row["paid"] or 0).quantize(CENT)),
                "paid_cases": paid_cases,
                "days_to_payment": ratio(row["days_to_payment"] or 0, paid_cases),
                "coverage": percent_of(end.get("covered") or 0, veterans),
                "overdue": end.get("overdue") or 0,
                "cases_open": end.get("cases_open") or 0,
                "appeals_open": end.get("appeals_open") or 0,
            }
        )
    return trend
