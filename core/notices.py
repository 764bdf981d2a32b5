"""In-app notices asked for by apps below the one that keeps the inbox.

The inbox (`visits.Notification`) sits on a higher floor than, say, the veteran records, which
must still tell a station that someone elsewhere tried to file one of its people. The inbox's
app registers its deliverer here at start-up; the caller names recipients and text only.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    title: str
    body: str
    link: str
    dedupe_key: str  # the same key twice delivers once


_deliverers: list[Callable[[list[Notice]], None]] = []


def register_deliverer(deliver: Callable[[list[Notice]], None]) -> None:
    if deliver not in _deliverers:
        _deliverers.append(deliver)


def send_notices(notices: Iterable[Notice]) -> None:
    batch = list(notices)
    if batch:
        for deliver in _deliverers:
            deliver(batch)
