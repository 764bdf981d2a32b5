"""Reads for the printed files: always through the user's scope, with what each file prints in
a fixed number of queries (one card, or a batch of hundreds of cards, costs the same few)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assistance.models import CaseStatus, EntryKind, FundEntry, HardshipCase
from assistance.selectors import cases_for, entries_for
from grids.models import Community, Grid
from grids.scoping import scope_queryset
from printing.models import BatchLevel, PrintBatch
from veterans.models import LifeStatus, Veteran
from veterans.selectors import veterans_for, with_detail_relations
from visits.models import Visit
from visits.selectors import visits_for

VISITS_SHOWN = 5  # the card lists the latest visits
CASES_SHOWN = 8  # and the latest hardship cases, with their payments
AREA_MODELS = {BatchLevel.COMMUNITY: Community, BatchLevel.GRID: Grid}
# Cases whose money reached the person (a reversed payment puts the case back to approved).
PAID_STATUSES = (CaseStatus.PAID, CaseStatus.CLOSED)


@dataclass(frozen=True)
class ArchiveCard:
    """Everything one archive card (一人一档 档案表) prints about one person."""

    veteran: Veteran  # with grid, areas, pairing, soldier, care, honours and family loaded
    visits: list[Visit]
    visit_count: int
    cases: list[HardshipCase]
    case_count: int
    paid_total: Decimal


def archive_person(*, user, pk) -> Veteran | None:
    """One person's file for printing, or None outside the user's scope (the caller's 404)."""
    return with_detail_relations(veterans_for(user=user)).filter(pk=pk).first()


def _newest_per_person(queryset: QuerySet, order: list, limit: int, **totals) -> QuerySet:
    """The newest `limit` rows of each person in one query (a window per person), each row
    carrying its person's totals (`totals`: window aggregates over all the person's rows)."""
    by_person = [F("veteran_id")]
    return (
        queryset.annotate(
            place=Window(RowNumber(), partition_by=by_person, order_by=order),
            **{name: Window(total, partition_by=by_person) for name, total in totals.items()},
        )
        .filter(place__lte=limit)
        .order_by("veteran_id", "place")
    )


def archive_cards(*, user, veterans: list[Veteran]) -> list[ArchiveCard]:
    """The cards of `veterans` (already read through the scope), in their order: two queries
    more whatever their number, the visits and the cases also read through the user's scope."""
    ids = [veteran.pk for veteran in veterans]
    visits: dict[int, list[Visit]] = {pk: [] for pk in ids}
    newest_visits = _newest_per_person(
        visits_for(user=user).filter(veteran_id__in=ids),
        [F("visited_at").desc(), F("id").desc()],
        VISITS_SHOWN,
        all_visits=Count("id"),
    )
    for visit in newest_visits:
        visits[visit.veteran_id].append(visit)
    cases: dict[int, list[HardshipCase]] = {pk: [] for pk in ids}
    paid = Case(
        When(status__in=PAID_STATUSES, then=F("amount_approved")),
        default=Value(Decimal("0")),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    newest_cases = _newest_per_person(
        cases_for(user=user).filter(veteran_id__in=ids).select_related("fund"),
        [F("created_at").desc(), F("id").desc()],
        CASES_SHOWN,
        all_cases=Count("id"),
        paid_total=Sum(paid),
    )
    for case in newest_cases:
        cases[case.veteran_id].append(case)
    return [
        ArchiveCard(
            veteran=veteran,
            visits=visits[veteran.pk],
            visit_count=visits[veteran.pk][0].all_visits if visits[veteran.pk] else 0,
            cases=cases[veteran.pk],
            case_count=cases[veteran.pk][0].all_cases if cases[veteran.pk] else 0,
            paid_total=Decimal(cases[veteran.pk][0].paid_total or 0) if cases[veteran.pk] else Decimal("0"),
        )
        for veteran in veterans
    ]


def printable_areas(*, user) -> tuple[QuerySet[Community], QuerySet[Grid]]:
    """The communities and grids whose cards the user may print in a batch (their own area)."""
    communities = scope_queryset(user, Community.objects.select_related("street")).order_by("street__code", "code")
    grids = scope_queryset(user, Grid.objects.select_related("community")).order_by("community__code", "code")
    return communities, grids


def batch_area(*, user, level: str, area_id) -> Community | Grid | None:
    """The community or grid of a batch, or None when unknown or outside the user's scope."""
    model = AREA_MODELS.get(level)
    if model is None or not str(area_id or "").isdigit():
        return None
    return scope_queryset(user, model.objects.all()).filter(pk=int(area_id)).first()


def batch_people(*, user, level: str, area_id: int) -> QuerySet[Veteran]:
    """The living people of a community or grid on file, grid by grid, by name: the order of a
    station's paper folders."""
    people = veterans_for(user=user).filter(life_status=LifeStatus.ALIVE, **{f"{level}_id": area_id})
    return with_detail_relations(people).order_by("grid__code", "name_pinyin", "id")


def own_batch(*, user, pk) -> PrintBatch | None:
    """A batch print, only for the person who asked for it."""
    return PrintBatch.objects.filter(pk=pk, requested_by_id=user.pk).first()


def recent_batches(*, user, limit: int = 10) -> list[PrintBatch]:
    return list(PrintBatch.objects.filter(requested_by_id=user.pk).order_by("-created_at", "-id")[:limit])


def batches_to_expire(*, older_than: datetime.datetime) -> QuerySet[PrintBatch]:
    return PrintBatch.objects.filter(created_at__lt=older_than).exclude(file="")


def receipt_entry(*, user, pk) -> FundEntry | None:
    """An allocation or donation of a fund in the user's scope (what the receipt page shows)."""
    kinds = [EntryKind.DONATION, EntryKind.ALLOCATION]
    return entries_for(user=user).filter(pk=pk, kind__in=kinds).first()


def case_has_notice(case: HardshipCase) -> bool:
    """A payment notice exists for a case whose money was paid (and not reversed)."""
    return case.status in PAID_STATUSES and case.paid_at is not None and case.payment_id is not None


def notice_case(*, user, pk) -> HardshipCase | None:
    """A paid case in the user's scope, with what its payment notice prints."""
    case = (
        cases_for(user=user)
        .select_related("street", "community", "fund", "payment__created_by", "approved_by")
        .filter(pk=pk)
        .first()
    )
    return case if case is not None and case_has_notice(case) else None


def local_now() -> datetime.datetime:
    return timezone.localtime()
