"""Finding likely duplicate files without a pairwise scan.

Rows are grouped by blocking keys in SQL (a window count per key, kept where more than one file
shares it); only files inside one block are compared. Blocks: the same name and birth date; the
same pinyin, gender and birth year, where decrypted ID numbers must also be near (one or two
characters apart, or two adjacent ones swapped); the same phone (its keyed hash). Every way in
(entry, import, the nightly job) calls `pairs_find`."""

import itertools
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import ExtractYear

from audit.models import AuditAction
from audit.services import audit_record
from grids.scoping import require_actor, scope_queryset
from merging.models import DuplicatePair, MatchReason
from veterans.models import Veteran

# A block this large is a shared number (a station's phone) or a common name, not a duplicate:
# comparing it would cost n² and flood the queue.
MAX_BLOCK = 20
CHUNK = 2000


def ids_near(a: str, b: str) -> bool:
    """One or two characters apart, or two adjacent characters swapped (same length)."""
    # A swap of two adjacent characters differs in exactly two places, so "at most two apart"
    # already covers it.
    if not a or not b or len(a) != len(b):
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) <= 2


def _blocks(queryset, keys: list, extra: list[str]):
    """Members of every block of `keys` shared by more than one file, block by block."""
    rows = (
        queryset.annotate(block_size=Window(Count("id"), partition_by=[F(k) for k in keys]))
        .filter(block_size__gt=1, block_size__lte=MAX_BLOCK)
        .order_by(*keys, "id")
        .values_list(*keys, "id", *extra)
    )
    width = len(keys)
    for _key, members in itertools.groupby(rows.iterator(chunk_size=CHUNK), key=lambda row: row[:width]):
        yield [row[width:] for row in members]


def candidate_pairs(queryset) -> dict[tuple[int, int], set[str]]:
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    for members in _blocks(queryset, ["name", "birth_date"], []):
        for (a,), (b,) in itertools.combinations(members, 2):
            found[(a, b)].add(MatchReason.NAME_BIRTH)
    pinyin = queryset.exclude(name_pinyin="").annotate(birth_year=ExtractYear("birth_date"))
    for members in _blocks(pinyin, ["name_pinyin", "gender", "birth_year"], ["id_number"]):
        for (a, number_a), (b, number_b) in itertools.combinations(members, 2):
            if ids_near(str(number_a).upper(), str(number_b).upper()):
                found[(a, b)].add(MatchReason.PINYIN_ID)
    for members in _blocks(queryset.exclude(phone_hash=""), ["phone_hash"], []):
        for (a,), (b,) in itertools.combinations(members, 2):
            found[(a, b)].add(MatchReason.PHONE)
    return found


def _touching(queryset, veteran_ids: Iterable[int]):
    """Only the blocks the given files sit in: what entry and import need."""
    files = list(
        Veteran.objects.filter(pk__in=list(veteran_ids)).values("name", "birth_date", "name_pinyin", "phone_hash")
    )
    if not files:
        return queryset.none()
    match = Q()
    for file in files:
        match |= Q(name=file["name"], birth_date=file["birth_date"])
        if file["name_pinyin"]:
            match |= Q(name_pinyin=file["name_pinyin"], birth_date__year=file["birth_date"].year)
        if file["phone_hash"]:
            match |= Q(phone_hash=file["phone_hash"])
    return queryset.filter(match)


@transaction.atomic
def pairs_find(*, acting_user, veteran_ids: Iterable[int] | None = None) -> int:
    """Record every new likely pair among active files in the actor's scope; returns how many
    were added. Existing pairs (a rejected one above all) are left as they are, so a pair the
    station said is two people never comes back."""
    require_actor(acting_user)
    active = scope_queryset(acting_user, Veteran.objects.filter(removed_at__isnull=True))
    if veteran_ids is not None:
        active = _touching(active, veteran_ids)
    found = candidate_pairs(active)
    if not found:
        return 0
    added = 0
    keys = sorted(found)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        firsts = {a for a, _b in chunk}
        existing = set(DuplicatePair.objects.filter(first_id__in=firsts).values_list("first_id", "second_id"))
        new = [
            DuplicatePair(first_id=a, second_id=b, reasons=sorted(found[(a, b)]))
            for a, b in chunk
            if (a, b) not in existing
        ]
        DuplicatePair.objects.bulk_create(new, ignore_conflicts=True)
        added += len(new)
    if added:
        audit_record(action=AuditAction.CREATE, actor=acting_user, detail={"duplicate_pairs_found": added})
    return added
