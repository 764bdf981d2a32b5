"""The ledgers (台账) that can be exported in the background, registered by the apps that own them.

A ledger is what its app knows how to write: a title, the column headers and a function from a
queryset to rows. The export job (exports.services) stores the user's query, and a Celery worker
on the exports queue runs it again through the scoping function and writes the rows."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Ledger:
    key: str
    title: Callable[[], str]  # translated at write time, in the requester's language of the moment
    headers: Callable[[], Sequence[str]]
    rows: Callable[[object], Iterable[Sequence]]  # rows(queryset)
    audit_detail: dict


_LEDGERS: dict[str, Ledger] = {}


def register_ledger(ledger: Ledger) -> None:
    _LEDGERS[ledger.key] = ledger


def ledger_named(key: str) -> Ledger:
    return _LEDGERS[key]
