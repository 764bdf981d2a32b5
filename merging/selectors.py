from django.db.models import QuerySet

from grids.scoping import scope_queryset
from merging.models import DuplicatePair
from veterans.models import Veteran


def pairs_for(*, user) -> QuerySet[DuplicatePair]:
    """Pairs whose BOTH files lie in the user's area: a pair never reveals a file outside it."""
    visible = scope_queryset(user, Veteran.objects.all()).values("pk")
    return (
        DuplicatePair.objects.filter(first__in=visible, second__in=visible)
        .select_related("first", "second", "survivor", "decided_by")
        .order_by("-id")
    )
