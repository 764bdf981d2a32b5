"""Admin list pages that stay fast on a city's tables: the count stops at a cap, and the date
hierarchy reads the first and last dates from an index instead of listing every distinct one.

Django's changelist counts every matching row for its paginator (a COUNT over ten million visits
takes seconds) and its date hierarchy runs `SELECT DISTINCT DATE_TRUNC(...)` over all of them.
Past the cap the page says "10,000+" and asks for a filter; every page up to the cap is reachable.
"""

import datetime
from functools import cached_property

from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Max, Min
from django.utils import timezone

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: a LIMITed subquery, stopped early by the database."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False


def _periods(first: datetime.date, last: datetime.date, kind: str) -> list[datetime.date]:
    if kind == "year":
        return [datetime.date(year, 1, 1) for year in range(first.year, last.year + 1)]
    if kind == "month":
        months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
        return [datetime.date(m // 12, m % 12 + 1, 1) for m in months]
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


SMALL_SET = 10_000  # rows a date hierarchy reads whole to find its first and last day


class IndexedDatesQuerySetMixin:
    """`dates()` and `datetimes()` for the admin's date hierarchy from MIN and MAX (two index probes):
    every period between the first and the last, including any without rows."""

    def aggregate(self, *args, **kwargs):
        """Django's date hierarchy first asks aggregate(first=Min(f), last=Max(f)) of the whole list,
        to skip a level when every row is in one year or month: answered as dates() are."""
        first, last = kwargs.get("first"), kwargs.get("last")
        if not args and set(kwargs) == {"first", "last"} and type(first) is Min and type(last) is Max:
            first_field, last_field = first.source_expressions[0], last.source_expressions[0]
            plain = first.filter is None and last.filter is None and isinstance(first_field, F)
            if plain and isinstance(last_field, F) and first_field.name == last_field.name:
                found = self._first_and_last(first_field.name)
                return {"first": found[0], "last": found[1]}
        return super().aggregate(*args, **kwargs)

    def _period_bounds(self, field_name: str, aware: bool):
        first, last = self._first_and_last(field_name)
        if first is None:
            return None
        if aware:
            return timezone.localtime(first).date(), timezone.localtime(last).date()
        return first, last

    def _first_and_last(self, field_name: str):
        """The first and the last value. PostgreSQL turns MIN and MAX into index reads only on a lone
        table: with a scope joined in (an auditor's district, through the actors) they would read
        every row of every month. So a set of up to SMALL_SET rows (a search) is read whole, and a
        larger one, dense enough for it, is read from each end of the index (ORDER BY ... LIMIT 1)."""
        kept = self.__dict__.setdefault("_first_and_last_found", {})  # the hierarchy asks twice
        if field_name not in kept:
            kept[field_name] = self._read_first_and_last(field_name)
        return kept[field_name]

    def _read_first_and_last(self, field_name: str):
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            bounds = super().aggregate(first=Min(field_name), last=Max(field_name))
            return bounds["first"], bounds["last"]
        column = connection.ops.quote_name(self.model._meta.get_field(field_name).column)
        try:
            sample_sql, sample_params = self.order_by().values_list(field_name)[: SMALL_SET + 1].query.sql_with_params()
            ends = [self.order_by(order).values_list(field_name)[:1] for order in (field_name, f"-{field_name}")]
            (first_sql, first_params), (last_sql, last_params) = (end.query.sql_with_params() for end in ends)
        except EmptyResultSet:  # a queryset that can match nothing (none(), an empty IN)
            return None, None
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), MIN(sample.{column}), MAX(sample.{column}) FROM ({sample_sql}) AS sample",  # noqa: S608
                sample_params,
            )
            count, first, last = cursor.fetchone()
            if count <= SMALL_SET:
                return first, last
            cursor.execute(f"SELECT ({first_sql}), ({last_sql})", [*first_params, *last_params])
            return cursor.fetchone()

    def dates(self, field_name, kind, order="ASC"):
        bounds = self._period_bounds(field_name, aware=False)
        periods = _periods(*bounds, kind) if bounds else []
        return periods if order == "ASC" else periods[::-1]

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        bounds = self._period_bounds(field_name, aware=True)
        periods = _periods(*bounds, kind) if bounds else []
        zone = tzinfo or timezone.get_current_timezone()
        moments = [datetime.datetime.combine(day, datetime.time(), tzinfo=zone) for day in periods]
        return moments if order == "ASC" else moments[::-1]


_INDEXED_CLASSES: dict[type, type] = {}


def with_indexed_dates(queryset):
    """The same queryset, whose dates()/datetimes() come from MIN and MAX."""
    base = type(queryset)
    if base not in _INDEXED_CLASSES:
        _INDEXED_CLASSES[base] = type(f"Indexed{base.__name__}", (IndexedDatesQuerySetMixin, base), {})
    clone = queryset._chain()
    clone.__class__ = _INDEXED_CLASSES[base]
    return clone


class SearchedPageIdsFirst(ChangeList):
    """A searched page read in two steps: the page's keys (id and partition key) in order, then
    its rows by those keys.

    A search that matches tens of thousands of rows out of order (a two-character name's events)
    must sort them all for the newest hundred; read whole, every one of them costs a heap read,
    cold from disk. When an index covers the search, the scope and the order, the first step
    reads only that index, and the second reads the hundred rows shown."""

    def get_results(self, request):
        super().get_results(request)
        if self.query and hasattr(self.result_list, "values_list"):
            self.result_list = self._rows_by_keys(self.result_list)

    def _rows_by_keys(self, page):
        key = self.model_admin.page_ids_first
        keys = list(page.values_list("pk", key))
        if not keys:
            return []
        found = self.apply_select_related(self.root_queryset).filter(pk__in=[pk for pk, _when in keys])
        if connections[found.db].vendor == "postgresql":  # only the months that hold the page
            times = [when for _pk, when in keys]
            found = found.filter(**{f"{key}__gte": min(times), f"{key}__lte": max(times)})
        rows = {row.pk: row for row in found.order_by()}
        return [rows[pk] for pk, _when in keys if pk in rows]


class CityScaleListMixin:
    """For a ModelAdmin over a table that grows with the city (visits, audit events): capped count,
    index-read date hierarchy; with `page_ids_first` (the table's partition key), a searched page
    is read keys first (SearchedPageIdsFirst)."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    page_ids_first: str | None = None

    def get_queryset(self, request):
        return with_indexed_dates(super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return SearchedPageIdsFirst if self.page_ids_first else super().get_changelist(request, **kwargs)
