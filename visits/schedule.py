"""When each veteran is due a visit.

due = last visit + the shortest interval of the policy groups the veteran is in (never
visited: due from the day the file was opened). An open must-visit event sets its own, earlier
date. Computed in bulk SQL, so the nightly refresh of a million records takes seconds, and
for single records after each write.
"""

import datetime

from django.core.cache import cache
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models import DateField as DateFieldType
from django.utils import timezone

from veterans.models import PriorityCare, PriorityCategory, Veteran
from veterans.rules import birth_date_cutoff
from visits.models import DEFAULT_INTERVALS, MustVisitEvent, PolicyGroup, VisitPolicy

POLICY_CACHE_KEY = "visits:policy-intervals"


def policy_intervals() -> dict[str, int]:
    """The intervals per group; cached, since every visit submit needs them (see visit_policy_set)."""
    intervals = cache.get(POLICY_CACHE_KEY)
    if intervals is None:
        intervals = dict(DEFAULT_INTERVALS)
        intervals.update(VisitPolicy.objects.values_list("group", "interval_days"))
        cache.set(POLICY_CACHE_KEY, intervals, timeout=300)
    return intervals


def forget_policy_intervals() -> None:
    cache.delete(POLICY_CACHE_KEY)


def group_conditions(today: datetime.date) -> dict[str, Q]:
    disabled_1_4 = PriorityCare.objects.filter(
        veteran=OuterRef("pk"), category=PriorityCategory.DISABLED, disability_grade__lte=4
    )
    any_care = PriorityCare.objects.filter(veteran=OuterRef("pk"))
    return {
        PolicyGroup.AGE_80_PLUS: Q(birth_date__lte=birth_date_cutoff(80, today)),
        PolicyGroup.EXTREME_HARDSHIP: Q(extreme_poverty=True) | Q(minimum_living_allowance=True),
        PolicyGroup.DISABLED_1_4: Q(Exists(disabled_1_4)),
        PolicyGroup.PRIORITY_CARE: Q(Exists(any_care)),
        PolicyGroup.EVERYONE: Q(pk__isnull=False),
    }


def interval_expression(today: datetime.date, intervals: dict[str, int]) -> Case:
    """The shortest interval among the groups a row is in: When clauses in ascending order."""
    conditions = group_conditions(today)
    ordered = sorted(intervals.items(), key=lambda item: item[1])
    return Case(*[When(conditions[group], then=Value(days)) for group, days in ordered], default=Value(0))


def _differs(field: str, value: str) -> Q:
    """`field IS DISTINCT FROM value` (an annotation), so only rows that change are written."""
    return (
        (~Q(**{field: F(value)}) & Q(**{f"{field}__isnull": False}) & Q(**{f"{value}__isnull": False}))
        | Q(**{f"{field}__isnull": True, f"{value}__isnull": False})
        | Q(**{f"{field}__isnull": False, f"{value}__isnull": True})
    )


CHUNK = 5000


def refresh_visit_schedule(queryset: QuerySet[Veteran] | None = None, *, today: datetime.date | None = None) -> int:
    """Recompute interval, regular due date and event due date for the rows of `queryset`.

    The rows are fixed first (their ids, in chunks): a filter such as "no due date yet" would
    otherwise match fewer rows after each statement. Every row is read, but only rows whose
    values change are written: on a quiet night that is the handful who turned 80, not a
    million rewritten rows and their indexes.
    """
    today = today or timezone.localdate()
    queryset = queryset if queryset is not None else Veteran.objects.filter(removed_at__isnull=True)
    intervals = policy_intervals()
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), CHUNK):
        written += _refresh_rows(Veteran.objects.filter(pk__in=ids[start : start + CHUNK]), today, intervals)
    return written


def _refresh_rows(queryset: QuerySet[Veteran], today: datetime.date, intervals: dict[str, int]) -> int:
    new_interval = interval_expression(today, intervals)
    changed = queryset.annotate(new_interval=new_interval).filter(_differs("visit_interval_days", "new_interval"))
    written = changed.update(visit_interval_days=new_interval)
    for days in sorted(set(intervals.values())):
        due = ExpressionWrapper(F("last_visit_on") + datetime.timedelta(days=days), output_field=DateFieldType())
        stale = queryset.filter(visit_interval_days=days, last_visit_on__isnull=False).annotate(new_due=due)
        written += stale.filter(_differs("visit_due_on", "new_due")).update(visit_due_on=due)
    written += queryset.filter(last_visit_on__isnull=True, visit_due_on__isnull=True).update(visit_due_on=today)
    open_events = MustVisitEvent.objects.filter(veteran=OuterRef("pk"), resolved_at__isnull=True).order_by("due_by")
    event_due = Subquery(open_events.values("due_by")[:1])
    stale_events = queryset.annotate(new_event_due=event_due).filter(_differs("event_due_on", "new_event_due"))
    written += stale_events.update(event_due_on=event_due)
    return written


def interval_for(
    *,
    birth_date: datetime.date,
    extreme_poverty: bool,
    minimum_living_allowance: bool,
    categories: list[tuple[str, int | None]],
    intervals: dict[str, int],
    today: datetime.date,
) -> int:
    """The same rule as interval_expression, for rows not yet in the database (imports)."""
    groups = [PolicyGroup.EVERYONE]
    if birth_date <= birth_date_cutoff(80, today):
        groups.append(PolicyGroup.AGE_80_PLUS)
    if extreme_poverty or minimum_living_allowance:
        groups.append(PolicyGroup.EXTREME_HARDSHIP)
    if any(
        category == PriorityCategory.DISABLED and grade is not None and grade <= 4 for category, grade in categories
    ):
        groups.append(PolicyGroup.DISABLED_1_4)
    if categories:
        groups.append(PolicyGroup.PRIORITY_CARE)
    return min(intervals[group] for group in groups)


def refresh_one(veteran: Veteran) -> None:
    refresh_visit_schedule(Veteran.objects.filter(pk=veteran.pk))
