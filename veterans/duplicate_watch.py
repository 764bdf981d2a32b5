"""Files whose identity changed, for the near-duplicate finder of merging (a floor above).

veterans' writes call `files_changed` when a file is created or its name, ID number, birth date
or phone changes; merging registers what to do (queue its finder) in its AppConfig.ready().
Nothing is done until the transaction commits, and nothing at all if merging is not installed.
"""

from collections.abc import Callable, Iterable

from django.db import transaction

_watchers: list[Callable[[list[int]], None]] = []

WATCHED_FIELDS = {"name", "id_number", "birth_date", "phone"}


def register_duplicate_watcher(watcher: Callable[[list[int]], None]) -> None:
    _watchers[:] = [watcher]


def files_changed(veteran_ids: Iterable[int]) -> None:
    ids = list(veteran_ids)
    if not ids or not _watchers:
        return
    watcher = _watchers[0]
    transaction.on_commit(lambda: watcher(ids))
