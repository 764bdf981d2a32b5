"""Reads of veteran records: always scoped first, with the joins each screen needs."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import readers_of
from core.crypto.cipher import id_number_hash, phone_hash
from grids.models import AreaLevel, Grid, Role
from grids.scoping import scope_queryset, user_scope
from veterans.models import AWAITING_CONFIRMATION, Honour, LifeStatus, PriorityCare, Veteran, VeteranImport
from veterans.rules import COMPLETENESS_LINE

ID_FULL = re.compile(r"^\d{17}[\dXx]$")
TAIL = re.compile(r"^\d{3}[\dXx]$")
PHONE_FULL = re.compile(r"^1\d{10}$")
LATIN = re.compile(r"^[A-Za-z]+$")


def veterans_for(*, user, include_removed: bool = False) -> QuerySet[Veteran]:
    queryset = Veteran.objects.all()
    if not include_removed:
        queryset = queryset.filter(removed_at__isnull=True)
    return scope_queryset(user, queryset)


def file_gaps(*, user) -> dict[str, int]:
    """Living people whose glory plaque is not hung and whose file is below the completeness
    line, in one query over the user's area."""
    return (
        veterans_for(user=user)
        .filter(life_status=LifeStatus.ALIVE)
        .aggregate(
            plaque_not_hung=Count("id", filter=Q(glory_plaque_hung_on__isnull=True)),
            below_line=Count("id", filter=Q(completeness__lt=COMPLETENESS_LINE)),
        )
    )


def imports_awaiting_confirmation(*, user) -> QuerySet[VeteranImport]:
    """The user's own uploads, checked and not yet confirmed. Not by area: an import belongs to
    whoever uploaded it (its rows may name people outside anyone else's scope)."""
    return VeteranImport.objects.filter(created_by_id=user.pk, status__in=AWAITING_CONFIRMATION)


def with_detail_relations(queryset: QuerySet[Veteran]) -> QuerySet[Veteran]:
    return queryset.select_related(
        "grid", "community", "street", "district", "paired_staff__user", "source_soldier"
    ).prefetch_related(
        Prefetch("priority_care", queryset=PriorityCare.objects.order_by("category")),
        Prefetch("honours", queryset=Honour.objects.order_by("awarded_year", "id")),
        "family",
    )


def search_veterans(queryset: QuerySet[Veteran], text: str) -> QuerySet[Veteran]:
    """One box for everything a station types: full ID, last 4 of ID or phone, phone, name or pinyin.

    Each form maps to an indexed column, so searching stays fast on a whole city.
    """
    text = (text or "").strip().replace(" ", "")
    if not text:
        return queryset
    if ID_FULL.match(text):
        return queryset.filter(id_number_hash=id_number_hash(text))
    if TAIL.match(text):
        tail = text.upper()
        return queryset.filter(Q(id_tail=tail) | Q(phone_tail=tail))
    if PHONE_FULL.match(text):
        return queryset.filter(phone_hash=phone_hash(text))
    if LATIN.match(text):
        text = text.lower()
        return queryset.filter(Q(name_initials__startswith=text) | Q(name_pinyin__startswith=text))
    return queryset.filter(name__contains=text)


AREA_KEY = {
    AreaLevel.DISTRICT: "district_id",
    AreaLevel.STREET: "street_id",
    AreaLevel.COMMUNITY: "community_id",
    AreaLevel.GRID: "grid_id",
}


def completeness_by_area(*, user, level: str) -> list[dict]:
    """Per area at `level`: records, complete records and the share complete (0–100)."""
    key = AREA_KEY[level]
    rows = (
        veterans_for(user=user)
        .values(key)
        .annotate(total=Count("id"), complete=Count("id", filter=Q(completeness=100)))
        .order_by(key)
    )
    return [
        {
            "area_id": row[key],
            "total": row["total"],
            "complete": row["complete"],
            "share": percent(row["complete"], row["total"]),
        }
        for row in rows
    ]


def percent(part: int, whole: int) -> Decimal:
    """A share as an exact percentage with one decimal (no floats in figures people compare)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def today() -> datetime.date:
    return timezone.localdate()


def may_see_readers(user) -> bool:
    """The readers of a file are for the auditor and for station staff (each in their area)."""
    scope = user_scope(user)
    if scope is None:
        return False
    return scope.role == Role.STATION_STAFF or user.has_perm("audit.view_auditevent")


def veteran_readers(*, user, veteran_id) -> QuerySet[AuditEvent] | None:
    """Who read this file, newest first; None when the user may not see them or the file lies
    outside the user's area (the caller answers as for a missing record). The area is decided on
    the file's grid, so that an auditor, who reads no personal data, still sees the readers of
    files in their own area only."""
    if not may_see_readers(user):
        return None
    veteran = Veteran.objects.filter(pk=veteran_id).only("id", "grid_id").first()
    if veteran is None or not scope_queryset(user, Grid.objects.filter(pk=veteran.grid_id)).exists():
        return None
    return readers_of(obj=veteran)
