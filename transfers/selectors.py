"""Reads of transfers: a transfer is seen from both ends (the sending and the receiving side).
Also the figures of people who came, left or died in a year, per area, for the dashboard."""

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from grids.models import AreaLevel, level_below
from grids.scoping import scope_queryset
from transfers.models import Transfer, TransferStatus, TransferToSide
from veterans.models import LifeStatus
from veterans.selectors import veterans_for

RELATED = ["veteran", "from_grid", "from_community", "from_street", "to_grid", "to_street", "to_community"]


def _sending_ids(user) -> QuerySet:
    return scope_queryset(user, Transfer.objects.all()).values("pk")


def _receiving_ids(user) -> QuerySet:
    return scope_queryset(user, TransferToSide.objects.all()).values("pk")


def direction_q(user, direction: str = "") -> Q:
    """ "out": sent from the user's area; "in": sent to it; anything else: either."""
    sending, receiving = Q(pk__in=_sending_ids(user)), Q(pk__in=_receiving_ids(user))
    return {"out": sending, "in": receiving}.get(direction, sending | receiving)


def transfers_for(*, user, direction: str = "") -> QuerySet[Transfer]:
    """Transfers with either end in the user's scope (a transfer belongs to both sides)."""
    condition = direction_q(user, direction)
    return Transfer.objects.filter(condition).select_related(*RELATED, "started_by", "decided_by")


def transfer_received_by(*, user, transfer: Transfer) -> bool:
    return scope_queryset(user, TransferToSide.objects.filter(pk=transfer.pk)).exists()


MOVE_FIGURE_NAMES = ("moved_in", "moved_out", "pending_in", "pending_out", "left_system", "deceased")


def _level_of(area) -> str:
    return AreaLevel.CITY if area is None else area.level


def _crossing_from(queryset: QuerySet, *, end: str, other: str, area, key: str) -> QuerySet:
    """Transfers whose `end` ("from" or "to") lies in `area` and whose two ends lie in different
    child areas: a move between two grids of one community is no move for the street."""
    level = _level_of(area)
    if level != AreaLevel.CITY:
        queryset = queryset.filter(**{f"{end}_{level}_id": area.pk})
    return queryset.exclude(**{f"{end}_{key}_id": F(f"{other}_{key}_id")})


def _transfer_side(user, model, *, end: str, other: str, area, key: str, year: int, names: tuple[str, str]):
    """One GROUP BY over one side's scope: (accepted this year, pending now) per child area."""
    accepted = Q(status=TransferStatus.ACCEPTED, decided_at__year=year)
    pending = Q(status=TransferStatus.PENDING)
    queryset = _crossing_from(
        scope_queryset(user, model.objects.filter(accepted | pending)), end=end, other=other, area=area, key=key
    )
    done, waiting = names
    return (
        queryset.values(f"{end}_{key}_id", f"{end}_{key}__name")
        .annotate(**{done: Count("id", filter=accepted), waiting: Count("id", filter=pending)})
        .order_by()
    )


def move_figures(*, user, year: int, area=None) -> list[dict]:
    """Per child area of `area` (the user's whole scope when None: per district), in the user's
    scope: files moved in and out this year (accepted, by the day of acceptance) and waiting now
    (pending, whenever started), counted only when the move crosses the child area's border; and
    people who left the installation (已迁出) or died (已故) this year, by their own area.

    Three queries whatever the number of areas: the sending side is read through the sender's
    scope (Transfer), the receiving side through the receiver's (TransferToSide)."""
    key = level_below(_level_of(area))
    rows: dict[int, dict] = {}

    def row(area_id: int, name: str) -> dict:
        return rows.setdefault(
            area_id, {"level": key, "id": area_id, "name": name, **dict.fromkeys(MOVE_FIGURE_NAMES, 0)}
        )

    sides = (
        (Transfer, "from", "to", ("moved_out", "pending_out")),
        (TransferToSide, "to", "from", ("moved_in", "pending_in")),
    )
    for model, end, other, names in sides:
        for counted in _transfer_side(user, model, end=end, other=other, area=area, key=key, year=year, names=names):
            target = row(counted[f"{end}_{key}_id"], counted[f"{end}_{key}__name"])
            target.update({name: counted[name] for name in names})
    people = veterans_for(user=user).filter(
        life_status__in=[LifeStatus.MOVED_OUT, LifeStatus.DECEASED], life_status_date__year=year
    )
    if _level_of(area) != AreaLevel.CITY:
        people = people.filter(**{f"{area.level}_id": area.pk})
    counted_people = (
        people.values(f"{key}_id", f"{key}__name")
        .annotate(
            left_system=Count("id", filter=Q(life_status=LifeStatus.MOVED_OUT)),
            deceased=Count("id", filter=Q(life_status=LifeStatus.DECEASED)),
        )
        .order_by()
    )
    for counted in counted_people:
        target = row(counted[f"{key}_id"], counted[f"{key}__name"])
        target.update(left_system=counted["left_system"], deceased=counted["deceased"])
    return sorted(rows.values(), key=lambda r: (r["name"], r["id"]))


def move_totals(rows: list[dict]) -> dict:
    return {name: sum(row[name] for row in rows) for name in MOVE_FIGURE_NAMES}


def _place(district, street, community, grid) -> str:
    return f"{district.name} {street.name} {community.name} {grid.name}"


def recent_moves(*, user, area, limit: int = 10) -> list[dict]:
    """The latest accepted transfers with either end in `area` (and in the user's scope), newest
    first: the day of acceptance, the person's name, where from and where to."""
    queryset = Transfer.objects.filter(direction_q(user), status=TransferStatus.ACCEPTED)
    level = _level_of(area)
    if level != AreaLevel.CITY:
        queryset = queryset.filter(Q(**{f"from_{level}_id": area.pk}) | Q(**{f"to_{level}_id": area.pk}))
    sides = [f"{end}_{level}" for end in ("from", "to") for level in ("district", "street", "community", "grid")]
    transfers = queryset.select_related("veteran", *sides).order_by("-decided_at", "-id")[:limit]
    return [
        {
            "id": transfer.pk,
            "moved_on": timezone.localdate(transfer.decided_at),
            "veteran_name": transfer.veteran.name,
            "from_area": _place(
                transfer.from_district, transfer.from_street, transfer.from_community, transfer.from_grid
            ),
            "to_area": _place(transfer.to_district, transfer.to_street, transfer.to_community, transfer.to_grid),
        }
        for transfer in transfers
    ]
