from celery import shared_task

from grids.scoping import SYSTEM
from merging.finder import pairs_find

# More files than this (a large import): one whole pass is cheaper than a query of that many keys.
MAX_WATCHED_IDS = 2000


@shared_task
def find_duplicates() -> int:
    """Every night: the whole city's files, by the blocking keys (merging.finder)."""
    return pairs_find(acting_user=SYSTEM)


@shared_task
def find_duplicates_of(veteran_ids: list[int]) -> int:
    """After a file is created or its identity changes, or an import commits: its blocks only."""
    return pairs_find(acting_user=SYSTEM, veteran_ids=veteran_ids)


def watch(veteran_ids: list[int]) -> None:
    """Registered in veterans.duplicate_watch; runs after the change has committed."""
    if len(veteran_ids) > MAX_WATCHED_IDS:
        find_duplicates.delay()
    else:
        find_duplicates_of.delay(veteran_ids)
