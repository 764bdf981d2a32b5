"""Reads of pairs, always inside the user's scope first, and the coverage of the key groups:
of the living people of each key group, how many have an active pair."""

import datetime

from django.db.models import Count, Q, QuerySet

from core.board_figures import having_rows
from grids.scoping import scope_queryset
from pairing.models import Pair, PairContact, PairGift
from veterans.models import MAJOR_HONOURS, Honour, LifeStatus, Veteran
from veterans.rules import MERIT_KINDS, OLD_AGE, KeyGroup, birth_date_cutoff


def pairs_for(*, user) -> QuerySet[Pair]:
    return scope_queryset(user, Pair.objects.all())


def pair_list_for(*, user) -> QuerySet[Pair]:
    """What a list shows in one query: the person, the place and the partner's account."""
    return pairs_for(user=user).select_related("veteran", "grid", "community", "street", "partner_user")


def contacts_for(*, user) -> QuerySet[PairContact]:
    return scope_queryset(user, PairContact.objects.all())


def gifts_for(*, user) -> QuerySet[PairGift]:
    return scope_queryset(user, PairGift.objects.all())


def active_pairs_of(*, user, veteran: Veteran) -> QuerySet[Pair]:
    return pairs_for(user=user).filter(veteran=veteran, active=True).order_by("partner_kind", "id")


def living_q() -> Q:
    return Q(removed_at__isnull=True, life_status=LifeStatus.ALIVE)


def paired_q(*, hashed: bool = False) -> Q:
    """Over Veteran rows: at least one active pair (EXISTS, so no row is counted twice).
    `hashed`: the same rows through an uncorrelated IN, for counts over a whole city: the pairs
    are hashed once, where a correlated EXISTS runs once per person and keeps the count serial."""
    return having_rows(Pair.objects.filter(active=True), "veteran", hashed=hashed)


def _honoured(kinds, *, hashed: bool = False) -> Q:
    return having_rows(Honour.objects.filter(kind__in=kinds), "veteran", hashed=hashed)


def key_group_exists_q(group: str, today: datetime.date) -> Q:
    """veterans.rules.key_group_q without its join to honours (EXISTS instead), so a count grouped
    by area counts each person once."""
    if group == KeyGroup.AGE_80_PLUS:
        return Q(birth_date__lte=birth_date_cutoff(OLD_AGE, today))
    if group == KeyGroup.EXTREME_HARDSHIP:
        return Q(extreme_poverty=True) | Q(minimum_living_allowance=True)
    if group == KeyGroup.MAJOR_CONTRIBUTION:
        return _honoured(MAJOR_HONOURS)
    if group == KeyGroup.MERIT_AWARDS:
        return _honoured(MERIT_KINDS)
    raise ValueError(group)


def any_key_group_q(today: datetime.date, *, hashed: bool = False) -> Q:
    """In at least one key group (重点群体). `hashed`: as in paired_q."""
    return (
        key_group_exists_q(KeyGroup.AGE_80_PLUS, today)
        | key_group_exists_q(KeyGroup.EXTREME_HARDSHIP, today)
        | _honoured(MAJOR_HONOURS | MERIT_KINDS, hashed=hashed)
    )


def people_for(*, user) -> QuerySet[Veteran]:
    """The living people of the user's area."""
    return scope_queryset(user, Veteran.objects.filter(living_q()))


def coverage(*, user, today: datetime.date) -> list[dict]:
    """Of each key group, the living people and how many of them have an active pair, in one
    query: [{"group", "label", "people", "paired"}]."""
    paired = paired_q()
    counts = {}
    for group in KeyGroup.labels:
        condition = key_group_exists_q(group, today)
        counts[f"{group}__people"] = Count("pk", filter=condition)
        counts[f"{group}__paired"] = Count("pk", filter=condition & paired)
    totals = people_for(user=user).aggregate(**counts)
    return [
        {
            "group": group,
            "label": label,
            "people": totals[f"{group}__people"],
            "paired": totals[f"{group}__paired"],
        }
        for group, label in KeyGroup.labels.items()
    ]


def unpaired_key_people(*, user, today: datetime.date) -> QuerySet[Veteran]:
    """The workbench's to-do: living people of a key group without an active pair."""
    return people_for(user=user).filter(any_key_group_q(today)).exclude(paired_q())
