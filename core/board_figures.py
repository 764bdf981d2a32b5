"""Figures the help apps add to the leaders' dashboard (台账统计), registered from below.

The dashboard sits above the help apps and counts its own figures; the services beyond relief
(employment, service projects, party, pairing, referrals...) count theirs in their own app and
register a `FigureSource` in AppConfig.ready(), as the workbench's to-dos do. The dashboard then
shows each source as a section of the board, keeps its figures in the nightly grid snapshots
(GridSnapshot.extra) and in /api/statistics/, with every number linked to a list of exactly the
rows it counts.

A source counts like the dashboard's own figures: one scoped query (conditional COUNTs grouped by
the child area's key), whatever the size of the area. A figure that counts the living people on
file meeting a condition is offered as that condition instead (`FigureSource.people`): the board
answers all of them, of every source, in its own count of people, so a city's million files are
read once, not once per source.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

# put(area_key, figure_name, value): how a source hands one grouped count to the board.
Put = Callable[[int, str, int], None]


@dataclass(frozen=True)
class Figure:
    """One number of a source. `link(area, today)` gives the list of exactly the rows counted (an
    admin changelist, scoped by the admin); a figure without a link is shown as plain text.
    A figure with `rate_of=(numerator, denominator)` is derived, shown in percent and not stored;
    either name may be another source's figure or one of the board's own (e.g. "veterans")."""

    name: str
    label: str
    link: Callable[[object, datetime.date], str] | None = None
    rate_of: tuple[str, str] | None = None


@dataclass(frozen=True)
class FigureSource:
    """A section of the board. `count(user=, level=, area_id=, group=, today=, put=)` counts the
    rows of the area (level, area_id) in the user's scope, grouped by `group` (e.g. "street_id").
    `people(today, hashed=)` gives {figure name: condition over Veteran} for the figures that
    count living people (not removed, alive) meeting a condition; the board counts those in the
    same scope and area in its own query over the people, and `count` counts only the source's
    other figures. `hashed` says the area is large (a city, a district): a condition on other rows
    should then be an uncorrelated IN, hashed once, not a correlated EXISTS, which runs once per
    person and keeps the count from running in parallel; for a street or a grid, EXISTS is cheaper
    than hashing the whole city's rows."""

    key: str
    title: str
    figures: tuple[Figure, ...]
    count: Callable[..., None]
    order: int = 100
    queries: int = 1  # what one count costs, whatever the area: the board's query budget adds them up
    people: Callable[..., dict[str, Q]] | None = None


_SOURCES: dict[str, FigureSource] = {}


def register_figures(source: FigureSource) -> None:
    _SOURCES[source.key] = source  # by key: ready() running twice (tests) registers once


def figure_sources() -> list[FigureSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.key))


def having_rows(rows: QuerySet, column: str, *, hashed: bool) -> Q:
    """Over people: those that `rows` point at through `column` (a key that is never NULL, so the
    condition may also be negated). `hashed`, for a large area: an uncorrelated IN, the rows hashed
    once; otherwise a correlated EXISTS, one index look-up per person (FigureSource says why)."""
    if hashed:
        return Q(pk__in=rows.values(column))
    return Q(Exists(rows.filter(**{column: OuterRef("pk")})))


def people_figures(today: datetime.date, *, hashed: bool) -> dict[str, Q]:
    """Every source's figures over the living people, {figure name: condition}, in board order."""
    conditions: dict[str, Q] = {}
    for source in figure_sources():
        if source.people is not None:
            conditions |= source.people(today, hashed=hashed)
    return conditions


def counted_figures() -> list[Figure]:
    """Every stored (not derived) figure of every source, in board order."""
    return [figure for source in figure_sources() for figure in source.figures if figure.rate_of is None]


def figure_named(name: str) -> Figure | None:
    for source in _SOURCES.values():
        for figure in source.figures:
            if figure.name == name:
                return figure
    return None


def in_area(level: str, area_id: int) -> dict:
    """The filter that keeps the rows of one area of a GridScopedModel (none for the whole city)."""
    return {} if level == "city" else {f"{level}_id": area_id}


def area_list_url(url_name: str, area, **filters) -> str:
    """An admin changelist of the rows of `area` (all of them for the city) with `filters`, e.g.
    area_list_url("admin:employment_profile_changelist", street, status__exact="seeking")."""
    params = {} if area is None or area.level == "city" else {area.level: area.pk}
    params |= {key: str(value) for key, value in filters.items() if value not in (None, "")}
    return f"{reverse(url_name)}?{urlencode(params)}"
