"""Reads of funds and cases: scoped lists and the trace of money from income to case."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from assistance.models import EntryKind, FundDraw, FundEntry, HardshipCase, ReliefFund
from grids.scoping import scope_queryset


def funds_for(*, user) -> QuerySet[ReliefFund]:
    return scope_queryset(user, ReliefFund.objects.select_related("district", "street"))


def entries_for(*, user) -> QuerySet[FundEntry]:
    return FundEntry.objects.filter(fund__in=funds_for(user=user)).select_related("fund", "created_by")


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
