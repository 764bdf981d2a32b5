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
from django.db.models import Count, F, Window
from django.db.models.functions import ExtractYear

from grids.scoping import require_actor, scope_queryset
from merging.models import DuplicatePair, MatchReason
from veterans.models import Veteran

# A block this large is a shared number (a station's phone) or a common name, not a duplicate:
# comparing it would cost n² and flood the queue.
MAX_BLOCK = 20
CHUNK = 2000


def ids_near(a: str, b: str) -> bool:
    """One or two characters apart, or two adjacent characters swapped (same length). In an
    18-digit number the check digit is left out: it follows from the other 17, so a valid number
    with one mistyped or two swapped digits also has another check digit."""
    # A swap of two adjacent characters differs in exactly two places, so "at most two apart"
    # already covers it.
    if not a or not b or len(a) != len(b):
        return False
    if len(a) == 18:
        a, b = a[:17], b[:17]
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


def candidate_pairs(queryset, veteran_ids: Iterable[int] | None = None) -> dict[tuple[int, int], set[str]]:
    """Likely pairs among `queryset`; with `veteran_ids`, only in the blocks those files sit in
    (each block narrowed by `__in` on its own keys: a superset of those blocks, still indexed)."""
    keys = _keys_of(veteran_ids) if veteran_ids is not None else None
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    by_birth = queryset if keys is None else queryset.filter(name__in=keys["name"], birth_date__in=keys["birth"])
    for members in _blocks(by_birth, ["name", "birth_date"], []):
        for (a,), (b,) in itertools.combinations(members, 2):
            found[(a, b)].add(MatchReason.NAME_BIRTH)
    pinyin = queryset.exclude(name_pinyin="")
    if keys is not None:
        pinyin = pinyin.filter(name_pinyin__in=keys["pinyin"], birth_date__year__in=keys["year"])
    pinyin = pinyin.annotate(birth_year=ExtractYear("birth_date"))
    for members in _blocks(pinyin, ["name_pinyin", "gender", "birth_year"], ["id_number"]):
        for (a, number_a), (b, number_b) in itertools.combinations(members, 2):
            if ids_near(str(number_a).upper(), str(number_b).upper()):
                found[(a, b)].add(MatchReason.PINYIN_ID)
    phones = queryset.exclude(phone_hash="")
    if keys is not None:
        phones = phones.filter(phone_hash__in=keys["phone"])
    for members in _blocks(phones, ["phone_hash"], []):
        for (a,), (b,) in itertools.combinations(members, 2):
            found[(a, b)].add(MatchReason.PHONE)
    return found


def _keys_of(veteran_ids: Iterable[int]) -> dict[str, set]:
    keys: dict[str, set] = {"name": set(), "birth": set(), "pinyin": set(), "year": set(), "phone": set()}
    files = Veteran.objects.filter(pk__in=list(veteran_ids)).values_list(
        "name", "birth_date", "name_pinyin", "phone_hash"
    )
    for name, birth, pinyin, phone in files.iterator(chunk_size=CHUNK):
        keys["name"].add(name)
        keys["birth"].add(birth)
        keys["year"].add(birth.year)
        if pinyin:
            keys["pinyin"].add(pinyin)
        if phone:
            keys["phone"].add(phone)
    return keys


@transaction.atomic
def pairs_find(*, acting_user, veteran_ids: Iterable[int] | None = None) -> int:
    """Record every new likely pair among active files in the actor's scope; returns how many
    were added. Existing pairs (a rejected one above all) are left as they are, so a pair the
    station said is two people never comes back."""
    require_actor(acting_user)
    active = scope_queryset(acting_user, Veteran.objects.filter(removed_at__isnull=True))
    found = candidate_pairs(active, veteran_ids)
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
    # No audit row: finding a pair changes no one's file (each pair keeps its found_at); the
    # decisions taken on it (merge, reject, undo) are audited.
    return added
