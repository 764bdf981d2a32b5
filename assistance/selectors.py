"""Reads of funds and cases: scoped lists and the trace of money from income to case."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.models import (
    OPEN_CASE_STATUSES,
    CaseAction,
    CaseAttachment,
    CaseStatus,
    CaseStep,
    EntryKind,
    FundDraw,
    FundEntry,
    HardshipCase,
    ReliefFund,
)
from core.numbers import exact_median, ratio
from grids.models import AREA_MODELS
from grids.scoping import scope_queryset


def funds_for(*, user) -> QuerySet[ReliefFund]:
    return scope_queryset(user, ReliefFund.objects.select_related("district", "street"))


def funds_to_pay(*, user, cases) -> QuerySet[ReliefFund]:
    """The funds in the user's scope that may pay every one of `cases` (a case or several): city
    funds always, a district's or a street's only when all the cases lie in it."""
    if isinstance(cases, HardshipCase):
        districts, streets = {cases.district_id}, {cases.street_id}
    else:  # two distinct keys are enough to know the cases span areas
        districts = set(cases.order_by().values_list("district_id", flat=True).distinct()[:2])
        streets = set(cases.order_by().values_list("street_id", flat=True).distinct()[:2])
    covering = Q(district__isnull=True)
    if len(districts) == 1:
        covering |= Q(district_id=next(iter(districts)), street__isnull=True)
    if len(streets) == 1:
        covering |= Q(street_id=next(iter(streets)))
    return funds_for(user=user).filter(covering)


def cases_for(*, user) -> QuerySet[HardshipCase]:
    return scope_queryset(user, HardshipCase.objects.select_related("veteran", "case_type", "grid"))


def open_cases_of(*, user, veteran) -> list[HardshipCase]:
    """The person's cases not yet paid or ended, oldest first: one query (case_household_idx)."""
    cases = cases_for(user=user).filter(veteran=veteran, status__in=OPEN_CASE_STATUSES)
    return list(cases.order_by("created_at", "id"))


def entries_for(*, user) -> QuerySet[FundEntry]:
    return scope_queryset(user, FundEntry.objects.select_related("fund", "created_by"))


@dataclass(frozen=True)
class Trace:
    """One hop of a yuan's way: an income entry and the case payment it (partly) paid."""

    source: FundEntry
    payment: FundEntry
    case: HardshipCase | None
    amount: Decimal
    given_back: bool  # the payment was later reversed and the money returned to the source


def _traces(draws: QuerySet[FundDraw]) -> list[Trace]:
    draws = draws.filter(entry__kind=EntryKind.PAYMENT).select_related(
        "source", "entry__case__veteran", "entry__case__case_type", "entry__reversed_by"
    )
    traces = []
    for draw in draws.order_by("id"):
        payment = draw.entry
        case = getattr(payment, "case", None)
        traces.append(Trace(draw.source, payment, case, draw.amount, hasattr(payment, "reversed_by")))
    return traces


def where_income_went(entry: FundEntry) -> list[Trace]:
    """The cases an allocation or donation paid, with how much of it each took."""
    return _traces(FundDraw.objects.filter(source=entry))


def where_case_money_came_from(case: HardshipCase) -> list[Trace]:
    """The allocations and donations a case's payment was drawn from."""
    if case.payment_id is None:
        return []
    return _traces(FundDraw.objects.filter(entry_id=case.payment_id))


def household_this_year(veteran_id: int, year: int, *, excluding: int | None = None) -> tuple[Decimal, Decimal]:
    """What this household has been paid this calendar year, and what is approved for it but not
    yet paid (that money is promised: it will be paid this year), all types together."""
    cases = HardshipCase.objects.filter(veteran_id=veteran_id).exclude(pk=excluding)
    totals = cases.aggregate(
        paid=Sum("amount_approved", filter=Q(paid_at__year=year)),
        pending=Sum("amount_approved", filter=Q(status=CaseStatus.APPROVED, paid_at__isnull=True)),
    )
    return totals["paid"] or Decimal("0"), totals["pending"] or Decimal("0")


def case_applied_for_by(*, case: HardshipCase, user) -> bool:
    """Whether the user opened or submitted the case (and so may not decide on it)."""
    if case.opened_by_id == user.pk:
        return True
    return CaseStep.objects.filter(case=case, action=CaseAction.SUBMIT, actor_id=user.pk).exists()


# Which cases wait for whom: a stage of the queue is a status and the permission to act on it.
QUEUE_STAGES = {
    "review": (CaseStatus.SUBMITTED, "assistance.review_hardshipcase"),
    "approve": (CaseStatus.REVIEWED, "assistance.review_hardshipcase"),
    "pay": (CaseStatus.APPROVED, "assistance.pay_hardshipcase"),
}


# What the user's own step is called on the workbench and in the case list's filter.
WAITING_LABELS = {"review": _("待我审核"), "approve": _("待我批准"), "pay": _("待我发放")}


def queue_stages_for(user) -> list[str]:
    stages = [name for name, (_status, perm) in QUEUE_STAGES.items() if user.has_perm(perm)]
    if user.has_perm("assistance.approve_hardshipcase") and "approve" not in stages:
        stages.insert(0, "approve")
    return stages


def _applied_for_by(user) -> Q:
    """The cases the user opened or submitted: case_applied_for_by, for many cases at once."""
    submitted = CaseStep.objects.filter(case_id=OuterRef("pk"), action=CaseAction.SUBMIT, actor_id=user.pk)
    return Q(opened_by_id=user.pk) | Q(Exists(submitted))


def waiting_q(user, stage: str) -> Q:
    """The cases of a queue stage that wait for this user's step, as rules.steps_available offers
    them: not the decisions on their own application, nor the payment of what they approved."""
    status, _perm = QUEUE_STAGES[stage]
    if stage == "pay":
        return Q(status=status) & ~Q(approved_by_id=user.pk)
    return Q(status=status) & ~_applied_for_by(user)


def cases_waiting_for(*, user, stage: str) -> QuerySet[HardshipCase]:
    """The list behind the workbench's number of one stage (the case list's 待我办理 filter)."""
    if stage not in queue_stages_for(user):
        return HardshipCase.objects.none()
    return scope_queryset(user, HardshipCase.objects.filter(waiting_q(user, stage)))


def waiting_counts(*, user) -> dict[str, tuple[int, datetime.date | None]]:
    """Per stage the user may act on: how many cases wait for their step and the first report
    date of the oldest, in one query over the user's scope."""
    stages = queue_stages_for(user)
    if not stages:
        return {}
    aggregates = {}
    for stage in stages:
        condition = waiting_q(user, stage)
        aggregates[f"{stage}_count"] = Count("pk", filter=condition)
        aggregates[f"{stage}_oldest"] = Min("reported_on", filter=condition)
    statuses = [QUEUE_STAGES[stage][0] for stage in stages]
    totals = scope_queryset(user, HardshipCase.objects.filter(status__in=statuses)).aggregate(**aggregates)
    return {stage: (totals[f"{stage}_count"], totals[f"{stage}_oldest"]) for stage in stages}


def case_queue(*, user, stage: str) -> QuerySet[HardshipCase]:
    """The cases of one stage in the user's area, oldest report first, with what the page shows:
    the household's payments this year, what else is approved for it and not yet paid, and the
    number of papers attached."""
    status, _perm = QUEUE_STAGES[stage]
    year_start = timezone.make_aware(datetime.datetime(timezone.localdate().year, 1, 1))
    paid_this_year = (
        HardshipCase.objects.filter(veteran_id=OuterRef("veteran_id"), paid_at__gte=year_start)
        .values("veteran_id")
        .annotate(total=Sum("amount_approved"))
        .values("total")
    )
    # Promised money counts toward the cap as payments do (household_this_year).
    pending_this_year = (
        HardshipCase.objects.filter(veteran_id=OuterRef("veteran_id"), status=CaseStatus.APPROVED, paid_at__isnull=True)
        .exclude(pk=OuterRef("pk"))
        .values("veteran_id")
        .annotate(total=Sum("amount_approved"))
        .values("total")
    )
    papers = CaseAttachment.objects.filter(case_id=OuterRef("pk")).values("case_id").annotate(n=Count("id")).values("n")
    queryset = scope_queryset(user, HardshipCase.objects.filter(status=status))
    return (
        queryset.select_related("veteran", "case_type", "grid", "street")
        .annotate(
            household_paid=Coalesce(Subquery(paid_this_year), Decimal("0"), output_field=DecimalField()),
            household_pending=Coalesce(Subquery(pending_this_year), Decimal("0"), output_field=DecimalField()),
            papers=Coalesce(Subquery(papers), 0),
        )
        .order_by("reported_on", "id")
    )


def case_detail_for(*, user, pk: int) -> HardshipCase | None:
    queryset = scope_queryset(user, HardshipCase.objects.all())
    return (
        queryset.select_related("veteran", "case_type", "grid", "community", "street", "fund", "opened_by", "visit")
        .prefetch_related("steps__actor", "attachments")
        .filter(pk=pk)
        .first()
    )


def attachment_for(*, user, pk: int) -> CaseAttachment | None:
    """A case paper, only if its case lies in the user's area."""
    cases = scope_queryset(user, HardshipCase.objects.all())
    return CaseAttachment.objects.filter(pk=pk, case__in=cases).first()


@dataclass(frozen=True)
class AreaTimeliness:
    """Days from the first report of a hardship to the money arriving, for one area."""

    area: object
    paid: int
    median_days: Decimal | None
    average_days: Decimal | None
    within_week: int


def days_to_payment_by_area(*, user, level: str, since: datetime.date | None = None) -> list[AreaTimeliness]:
    """Per area of `level` inside the user's scope: paid cases and their days to payment."""
    cases = scope_queryset(user, HardshipCase.objects.filter(paid_at__isnull=False))
    if since is not None:
        cases = cases.filter(reported_on__gte=since)
    days_by_area: dict[int, list[int]] = {}
    for area_id, reported_on, paid_at in cases.values_list(f"{level}_id", "reported_on", "paid_at").iterator():
        days_by_area.setdefault(area_id, []).append((timezone.localtime(paid_at).date() - reported_on).days)
    areas = AREA_MODELS[level].objects.in_bulk(list(days_by_area))
    rows = [
        AreaTimeliness(
            area=areas[area_id],
            paid=len(days),
            median_days=exact_median(days),
            average_days=ratio(sum(days), len(days)),
            within_week=sum(1 for d in days if d <= 7),
        )
        for area_id, days in days_by_area.items()
    ]
    return sorted(rows, key=lambda row: (row.median_days, str(row.area)))
