"""Two hosts on one machine: processes pinned to cores (Linux `sched_setaffinity`).

A replica earns its keep when it runs on another host than the primary: the leaders' reads then
take another machine's CPU, not the grid workers'. The replica section emulates that on one
machine by giving each "host" its own cores: the primary's PostgreSQL, the submits' gunicorn and
the submitting clients on one; the replica's PostgreSQL, the leaders' gunicorn and the reading
clients on the other. A pinned PostgreSQL's new backends inherit the postmaster's cores.
"""

import os
from pathlib import Path

ALL = frozenset(range(os.cpu_count() or 1))


def can_pin() -> bool:
    return hasattr(os, "sched_setaffinity") and len(ALL) >= 2


def hosts() -> tuple[set[int], set[int]]:
    """The cores of the primary's host and of the replica's host: the machine split in two."""
    cores = sorted(ALL)
    half = len(cores) // 2
    return set(cores[:half]), set(cores[half:])


def _parent(stat: Path) -> int:
    """A process's parent from its /proc/<pid>/stat (the field after the state, after the name)."""
    return int(stat.read_text().rsplit(")", 1)[1].split()[1])


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = _parent(stat)
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    return children


def pin_tree(pid: int, cores: set[int] | frozenset[int]) -> int:
    """Pin `pid` and everything it has started; returns how many processes were pinned."""
    children, pending, pinned = _children(), [pid], 0
    while pending:
        current = pending.pop()
        try:
            os.sched_setaffinity(current, cores)
            pinned += 1
        except ProcessLookupError:
            continue
        pending.extend(children.get(current, []))
    return pinned


def postmaster_of(cursor) -> int:
    """The PostgreSQL server (postmaster) behind an open cursor: its backend's parent."""
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]
    return _parent(Path(f"/proc/{backend}/stat"))
