"""台账统计: the figures a leader sees for an area and for each of its child areas.

Each source table is read once, grouped by the child area's key (veterans, priority care,
visits, cases), so a page costs the same few queries for a grid or a whole district. Every
queryset passes through the one scoping function first.
"""

import datetime
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from assistance.models import CaseStatus, HardshipCase
from core.board_figures import Figure, figure_named, figure_sources, people_figures
from core.numbers import exact_median, percent_of, ratio
from grids.models import AREA_MODELS, CHILD_LEVEL, AreaLevel, District, Street, the_city
from grids.scoping import SYSTEM, scope_queryset
from veterans.models import (
    MAJOR_HONOURS,
    Honour,
    LifeStatus,
    PartyRelation,
    PersonKind,
    PriorityCare,
    PriorityCategory,
    Veteran,
    VeteranType,
)
from veterans.rules import MERIT_KINDS, KeyGroup, key_group_q
from visits.models import Visit
from visits.selectors import covered_q, overdue_q

OPEN_CASES = [CaseStatus.SUBMITTED, CaseStatus.RETURNED, CaseStatus.REVIEWED, CaseStatus.APPROVED]
CASE_OVERDUE_DAYS = 30  # an open case reported longer ago than this is shown as overdue


@dataclass
class Figures:
    """The counts of one area. Rates are derived, so sums over child areas stay exact."""

    veterans: int = 0  # every living person on file, of whatever kind (by_kind splits them)
    by_kind: dict = field(default_factory=dict)
    by_type: dict = field(default_factory=dict)
    by_priority: dict = field(default_factory=dict)
    priority_total: int = 0
    age_80_plus: int = 0
    hardship: int = 0
    major_contribution: int = 0
    merit_awards: int = 0
    party_members: int = 0
    party_pocket: int = 0
    party_mobile: int = 0
    complete: int = 0
    completeness_sum: int = 0
    plaques: int = 0
    overdue: int = 0
    covered: int = 0
    visits_week: int = 0
    visits_month: int = 0
    cases_open: int = 0
    cases_overdue: int = 0
    paid_cases: int = 0
    paid_amount: Decimal = Decimal("0")
    days_to_payment: list = field(default_factory=list, repr=False)
    appeals_open: int = 0
    appeals_overdue: int = 0
    appeals_this_year: int = 0
    appeals_closed_in_time: int = 0
    wishes: int = 0
    wishes_fulfilled: int = 0
    # The help apps' figures (core.board_figures), by figure name.
    extra: dict = field(default_factory=dict)

    def add(self, other: "Figures") -> None:
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, dict):
                for key, value in theirs.items():
                    mine[key] = mine.get(key, 0) + value
            else:
                setattr(self, f.name, mine + theirs)

    def __getattr__(self, name: str):
        # kind_<person kind>: one kind's count by the name its snapshot column has.
        if name.startswith("kind_") and name.removeprefix("kind_") in PersonKind.values:
            return self.by_kind.get(name.removeprefix("kind_"), 0)
        raise AttributeError(name)

    def value(self, name: str):
        """A figure by name: a help app's (in `extra`, 0 when none were counted) or the board's own."""
        if figure_named(name) is not None:
            return self.extra.get(name, 0)
        return getattr(self, name)

    def rate(self, figure: Figure) -> Decimal | None:
        numerator, denominator = figure.rate_of
        return percent_of(self.value(numerator), self.value(denominator))

    @property
    def filing_rate(self) -> Decimal | None:
        """Share of files with every item filled in (档案完整率), in percent."""
        return percent_of(self.complete, self.veterans)

    @property
    def average_completeness(self) -> Decimal | None:
        return ratio(self.completeness_sum, self.veterans)

    @property
    def incomplete(self) -> int:
        return self.veterans - self.complete

    @property
    def coverage_rate(self) -> Decimal | None:
        """Share of veterans visited within their interval (not overdue), in percent."""
        return percent_of(self.covered, self.veterans)

    @property
    def appeals_in_time_rate(self) -> Decimal | None:
        """Share of this year's appeals resolved by their deadline (四必回应 timeliness), in percent."""
        return percent_of(self.appeals_closed_in_time, self.appeals_this_year)

    @property
    def median_days_to_payment(self) -> Decimal | None:
        return exact_median(self.days_to_payment)


@dataclass
class Board:
    area: object
    level: str
    child_level: str | None
    total: Figures
    rows: list[tuple[object, Figures]]
    today: datetime.date
    computed_at: datetime.datetime = field(default_factory=timezone.now)


BOARD_CACHE_SECONDS = 60
# Areas large enough that the help apps' conditions over people are hashed once (an uncorrelated
# IN) rather than looked up per person (EXISTS): hashing the city's honours costs ~15 ms, which
# the few thousand people of a street do not repay (bench: a grid's count 4 ms with EXISTS, 35 ms
# hashed).
HASHED_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT)
CACHED_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET)


def _board_key(area, today: datetime.date) -> str:
    return f"dashboard:board:{area.level}:{area.pk}:{today.isoformat()}"


def board_for(*, user, area) -> Board:
    """What the page shows. The figures of the city, a district or a street read up to a
    million rows, so they are computed at most once a minute (and kept warm by the beat job):
    never more than a minute stale. The figures of an area do not depend on who looks: whoever
    may open the area sees all of it. Communities and grids are counted live on every request."""
    if area.level not in CACHED_LEVELS:
        return area_board(user=user, area=area)
    today = timezone.localdate()
    board = cache.get(_board_key(area, today))
    if board is None:
        board = area_board(user=user, area=area, today=today)
        cache.set(_board_key(area, today), board, BOARD_CACHE_SECONDS)
    return board


def warm_boards() -> int:
    """The beat job, every minute: the city counted once by community, and from those rows the
    boards of the city, every district and every street (the figures add up: counts, sums and
    the lists medians are taken from). Returns how many boards were stored."""
    today = timezone.localdate()
    city = the_city()
    by_community = area_board(user=SYSTEM, area=city, today=today, rows_level=AreaLevel.COMMUNITY)
    streets = {street.pk: street for street in Street.objects.order_by("code", "id")}
    districts = {district.pk: district for district in District.objects.order_by("code", "id")}
    communities_of: dict[int, list] = {pk: [] for pk in streets}
    for community, figures in by_community.rows:
        communities_of[community.street_id].append((community, figures))
    street_boards = {pk: _board_of(street, communities_of[pk], today) for pk, street in streets.items()}
    streets_of: dict[int, list] = {pk: [] for pk in districts}
    for pk, street in streets.items():
        streets_of[street.district_id].append((street, street_boards[pk].total))
    district_boards = [_board_of(district, streets_of[pk], today) for pk, district in districts.items()]
    city_board = _board_of(city, [(board.area, board.total) for board in district_boards], today)
    boards = [city_board, *district_boards, *street_boards.values()]
    cache.set_many({_board_key(board.area, today): board for board in boards}, BOARD_CACHE_SECONDS)
    return len(boards)


def _board_of(area, rows: list, today: datetime.date) -> Board:
    total = Figures()
    for _child, figures in rows:
        total.add(figures)
    return Board(area=area, level=area.level, child_level=CHILD_LEVEL[area.level], total=total, rows=rows, today=today)


def _key(level: str) -> str:
    return f"{level}_id"


def in_area(level: str, area_id: int) -> dict:
    """The filter that keeps the rows of one area (none needed for the whole city)."""
    return {} if level == AreaLevel.CITY else {_key(level): area_id}


def _live_veterans(user, level: str, area_id: int):
    veterans = Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE)
    return scope_queryset(user, veterans).filter(**in_area(level, area_id))


def area_board(*, user, area, today: datetime.date | None = None, rows_level: str | None = None) -> Board:
    """The figures of `area` and of each child area (or each area of `rows_level` inside it,
    e.g. every grid of a district for an export), as the user's scope allows."""
    today = today or timezone.localdate()
    level = area.level
    child_level = rows_level or CHILD_LEVEL[level] or level
    group = _key(child_level)
    rows: dict[int, Figures] = {}

    def row(area_id: int) -> Figures:
        return rows.setdefault(area_id, Figures())

    veterans = _live_veterans(user, level, area.pk)
    count_veterans(veterans, group, today, row, hashed=level in HASHED_LEVELS)
    _count_priority(veterans, group, row)
    count_honours(veterans, group, row)
    _count_visits(user, level, area.pk, group, today, row)
    count_cases(user, level, area.pk, group, today, row)
    count_appeals(user, level, area.pk, group, today, row)
    count_wishes(user, level, area.pk, group, row)
    count_registered(user, level, area.pk, group, today, row)

    if child_level == level:
        children = [area]
    else:
        children = AREA_MODELS[child_level].objects.filter(**in_area(level, area.pk)).order_by("code", "id")
    ordered = [(child, rows.get(child.pk, Figures())) for child in children]
    total = Figures()
    for _child, figures in ordered:
        total.add(figures)
    return Board(area=area, level=level, child_level=CHILD_LEVEL[level], total=total, rows=ordered, today=today)


def count_veterans(veterans, group: str, today: datetime.date, row, *, hashed: bool = True) -> None:
    """The board's figures over the living people, and the help apps' (core.board_figures
    `people`, `hashed` for a large area), in one scan of the people table."""
    people = people_figures(today, hashed=hashed)
    counts = {
        "veterans": Count("id"),
        "age_80_plus": Count("id", filter=key_group_q(KeyGroup.AGE_80_PLUS, today)),
        "hardship": Count("id", filter=key_group_q(KeyGroup.EXTREME_HARDSHIP, today)),
        "party_members": Count("id", filter=Q(is_party_member=True)),
        "party_pocket": Count("id", filter=Q(party_relation=PartyRelation.POCKET)),
        "party_mobile": Count("id", filter=Q(party_relation=PartyRelation.MOBILE)),
        "complete": Count("id", filter=Q(completeness=100)),
        "completeness_sum": Sum("completeness"),
        "plaques": Count("id", filter=Q(glory_plaque_hung_on__isnull=False)),
        "overdue": Count("id", filter=overdue_q(today)),
        "covered": Count("id", filter=covered_q(today)),
        **{f"type_{t}": Count("id", filter=Q(veteran_type=t)) for t in VeteranType.values},
        **{f"kind_{k}": Count("id", filter=Q(person_kind=k)) for k in PersonKind.values},
        **{f"figure_{name}": Count("id", filter=condition) for name, condition in people.items()},
    }
    for values in veterans.order_by().values(group).annotate(**counts):
        figures = row(values[group])
        for name in counts:
            if name.startswith("type_"):
                figures.by_type[name.removeprefix("type_")] = values[name]
            elif name.startswith("kind_"):
                figures.by_kind[name.removeprefix("kind_")] = values[name]
            elif name.startswith("figure_"):
                figures.extra[name.removeprefix("figure_")] = values[name]
            else:
                setattr(figures, name, values[name] or 0)


def _count_priority(cares, group: str, row) -> None:
    """Each category's people and the people of any category, in one pass over the care rows. A
    person holds a category once (priority_care_unique), so a category's rows are its people."""
    # Driven from the care rows matched against the scoped veterans: for the whole city this is
    # twice as fast as joining from the veterans' side (bench, 1,000,000 veterans).
    # Only the (veteran, category) index is read: no column outside it is counted.
    by_category = {f"category_{c}": Count("veteran", filter=Q(category=c)) for c in PriorityCategory.values}
    counts = (
        PriorityCare.objects.filter(veteran__in=cares)
        .order_by()
        .values(f"veteran__{group}")
        .annotate(total=Count("veteran", distinct=True), **by_category)
    )
    for values in counts:
        figures = row(values[f"veteran__{group}"])
        figures.priority_total = values["total"]
        for category in PriorityCategory.values:
            if values[f"category_{category}"]:  # as before: only the categories someone holds
                figures.by_priority[category] = values[f"category_{category}"]


def count_priority_totals(cares, group: str, row) -> None:
    totals = (
        PriorityCare.objects.filter(veteran__in=cares)
        .order_by()
        .values(f"veteran__{group}")
        .annotate(n=Count("veteran", distinct=True))
    )
    for values in totals:
        row(values[f"veteran__{group}"]).priority_total = values["n"]


def count_honours(veterans, group: str, row) -> None:
    """重大贡献 and 立功受奖: people with an honour of those kinds (the rule of veterans.rules), counted
    over the small honour table, so the veteran count above needs no join."""
    counts = (
        Honour.objects.filter(veteran__in=veterans, kind__in=MAJOR_HONOURS | MERIT_KINDS)
        .order_by()
        .values(f"veteran__{group}")
        .annotate(
            major=Count("veteran", distinct=True, filter=Q(kind__in=MAJOR_HONOURS)),
            merit=Count("veteran", distinct=True, filter=Q(kind__in=MERIT_KINDS)),
        )
    )
    for values in counts:
        figures = row(values[f"veteran__{group}"])
        figures.major_contribution, figures.merit_awards = values["major"], values["merit"]


def midnight(day: datetime.date) -> datetime.datetime:
    """The first instant of a local day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def week_start(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=today.weekday())  # Monday


def case_late_before(today: datetime.date) -> datetime.date:
    """Open cases reported before this day are overdue."""
    return today - datetime.timedelta(days=CASE_OVERDUE_DAYS)


def _count_visits(user, level: str, area_id: int, group: str, today: datetime.date, row) -> None:
    week, month = midnight(week_start(today)), midnight(today.replace(day=1))
    since = min(week, month)
    visits = scope_queryset(user, Visit.objects.filter(visited_at__gte=since)).filter(**in_area(level, area_id))
    counts = (
        visits.order_by()
        .values(group)
        .annotate(week=Count("id", filter=Q(visited_at__gte=week)), month=Count("id", filter=Q(visited_at__gte=month)))
    )
    for values in counts:
        figures = row(values[group])
        figures.visits_week, figures.visits_month = values["week"], values["month"]


def count_cases(
    user,
    level: str,
    area_id: int,
    group: str,
    today: datetime.date,
    row,
    *,
    paid_from: datetime.datetime | None = None,
    paid_until: datetime.datetime | None = None,
) -> None:
    """Open and overdue cases now; cases paid from `paid_from` (this year) to `paid_until`."""
    cases = scope_queryset(user, HardshipCase.objects.all()).filter(**in_area(level, area_id))
    late = case_late_before(today)
    paid = Q(paid_at__gte=paid_from or midnight(datetime.date(today.year, 1, 1)))
    if paid_until is not None:
        paid &= Q(paid_at__lt=paid_until)
    counts = (
        cases.order_by()
        .values(group)
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_CASES)),
            late=Count("id", filter=Q(status__in=OPEN_CASES, reported_on__lt=late)),
            paid=Count("id", filter=paid),
            amount=Sum("amount_approved", filter=paid),
        )
    )
    for values in counts:
        figures = row(values[group])
        figures.cases_open, figures.cases_overdue = values["open"], values["late"]
        figures.paid_cases, figures.paid_amount = values["paid"], values["amount"] or Decimal("0")
    for area_key, reported_on, paid_at in cases.filter(paid).values_list(group, "reported_on", "paid_at"):
        row(area_key).days_to_payment.append((timezone.localtime(paid_at).date() - reported_on).days)


def count_appeals(user, level: str, area_id: int, group: str, today: datetime.date, row) -> None:
    """Open and overdue appeals now; this year's appeals and how many were resolved in time."""
    from appeals.models import Appeal
    from appeals.selectors import open_q
    from appeals.selectors import overdue_q as appeal_overdue_q

    appeals = scope_queryset(user, Appeal.objects.all()).filter(**in_area(level, area_id))
    this_year = Q(received_on__gte=datetime.date(today.year, 1, 1))
    counts = (
        appeals.filter(open_q() | this_year)
        .order_by()
        .values(group)
        .annotate(
            open=Count("id", filter=open_q()),
            late=Count("id", filter=appeal_overdue_q(today)),
            year=Count("id", filter=this_year),
            in_time=Count("id", filter=this_year & Q(resolved_on__lte=F("deadline"))),
        )
    )
    for values in counts:
        figures = row(values[group])
        figures.appeals_open, figures.appeals_overdue = values["open"], values["late"]
        figures.appeals_this_year, figures.appeals_closed_in_time = values["year"], values["in_time"]


def count_wishes(user, level: str, area_id: int, group: str, row) -> None:
    """Micro-wishes recorded (not cancelled) and fulfilled, all time."""
    from wishes.models import DONE_STATUSES, LIVE_STATUSES, MicroWish

    wishes = scope_queryset(user, MicroWish.objects.filter(status__in=LIVE_STATUSES)).filter(**in_area(level, area_id))
    counts = (
        wishes.order_by().values(group).annotate(n=Count("id"), done=Count("id", filter=Q(status__in=DONE_STATUSES)))
    )
    for values in counts:
        figures = row(values[group])
        figures.wishes, figures.wishes_fulfilled = values["n"], values["done"]


def count_registered(user, level: str, area_id: int | None, group: str, today: datetime.date, row) -> None:
    """The figures the help apps register (core.board_figures), each counted by its own app; their
    figures over the living people were counted with the board's own (count_veterans)."""

    def put(area_key: int, name: str, value: int) -> None:
        row(area_key).extra[name] = value

    for source in figure_sources():
        source.count(user=user, level=level, area_id=area_id, group=group, today=today, put=put)


PRIORITY_LABELS = dict(PriorityCategory.choices)
TYPE_LABELS = dict(VeteranType.choices)
KIND_LABELS = dict(PersonKind.choices)
# The snapshot columns of the kinds of person (Figures answers them as kind_<kind>).
KIND_FIELDS = [f"kind_{kind}" for kind in PersonKind.values]


@dataclass
class FundFigures:
    fund: object
    raised: Decimal
    paid: Decimal
    left: Decimal


def fund_board(*, user, area) -> list[FundFigures]:
    """Money raised, paid and left per fund that serves the area (its district's and street's)."""
    from assistance.models import EntryKind, FundEntry, ReliefFund

    funds = scope_queryset(user, ReliefFund.objects.all())
    if area.level != AreaLevel.CITY:
        funds = funds.filter(district_id=area.pk if area.level == AreaLevel.DISTRICT else area.district_id)
    if area.level not in (AreaLevel.CITY, AreaLevel.DISTRICT):
        street_id = area.pk if area.level == AreaLevel.STREET else area.street_id
        funds = funds.filter(Q(street__isnull=True) | Q(street_id=street_id))
    income = [EntryKind.ALLOCATION, EntryKind.DONATION]
    sums = {
        row["fund_id"]: row
        for row in FundEntry.objects.filter(fund__in=funds)
        .order_by()
        .values("fund_id")
        .annotate(
            raised=Sum("amount", filter=Q(kind__in=income) | Q(kind=EntryKind.REVERSAL, reverses__kind__in=income)),
            paid=Sum(
                "amount",
                filter=Q(kind=EntryKind.PAYMENT) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.PAYMENT),
            ),
        )
    }
    zero = Decimal("0")
    return [
        FundFigures(
            fund=fund,
            raised=sums.get(fund.pk, {}).get("raised") or zero,
            paid=-(sums.get(fund.pk, {}).get("paid") or zero),
            left=fund.balance,
        )
        for fund in funds.order_by("name")
    ]
