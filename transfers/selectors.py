"""Reads of transfers: a transfer is seen from both ends (the sending and the receiving side)."""

from django.db.models import Q, QuerySet

from grids.scoping import scope_queryset
from transfers.models import Transfer, TransferToSide

RELATED = ["veteran", "from_grid", "from_community", "from_street", "to_grid", "to_street", "to_community"]


def _sending_ids(user) -> QuerySet:
    return scope_queryset(user, Transfer.objects.all()).values("pk")


def _receiving_ids(user) -> QuerySet:
    return scope_queryset(user, TransferToSide.objects.all()).values("pk")


def transfers_for(*, user, direction: str = "") -> QuerySet[Transfer]:
    """Transfers with either end in the user's scope; `direction` "out" keeps those sent from
    it, "in" those sent to it."""
    sending, receiving = Q(pk__in=_sending_ids(user)), Q(pk__in=_receiving_ids(user))
    condition = {"out": sending, "in": receiving}.get(direction, sending | receiving)
    return Transfer.objects.filter(condition).select_related(*RELATED, "started_by", "decided_by")


def transfer_received_by(*, user, transfer: Transfer) -> bool:
    return scope_queryset(user, TransferToSide.objects.filter(pk=transfer.pk)).exists()
