"""Reads of transfers: a transfer is seen from both ends (the sending and the receiving side)."""

from django.db.models import Q, QuerySet

from grids.scoping import scope_queryset
from transfers.models import Transfer, TransferToSide

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
