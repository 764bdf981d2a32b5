"""The station's workbench: what waits for the user, at the top of the admin's index.

The admin's index is drawn here, low (core.admin_site), and the rows live in the apps above.
Each app registers what it counts in its AppConfig.ready(), as with visits.card_actions: a
section asks one permission first (no query for a user who may not view those rows), then
counts through the app's own selectors, scoped by grids.scoping.scope_queryset, in a fixed
number of queries (mostly one: conditional COUNTs), so the page costs the same whatever the
data. Each number links to a list that shows exactly the rows it counts.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str  # a list (mostly an admin changelist) of exactly the rows counted
    note: str = ""  # shown muted beside the label, e.g. how long the oldest has waited
    urgent: bool = False  # late work: the number is shown in red when not zero


@dataclass(frozen=True)
class TodoSection:
    key: str
    title: str
    permission: str  # asked before the section counts anything
    todos: Callable[..., Iterable[Todo]]  # todos(user=, today=) -> its lines
    order: int = 100


@dataclass(frozen=True)
class TodoBlock:
    """One section as the page draws it."""

    key: str
    title: str
    todos: list[Todo]


_SECTIONS: dict[str, TodoSection] = {}


def register_todos(section: TodoSection) -> None:
    _SECTIONS[section.key] = section  # by key: ready() running twice (tests) registers once


def todo_sections() -> list[TodoSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def todos_for(user, *, today: datetime.date) -> list[TodoBlock]:
    """The user's to-dos, section by section; sections whose rows the user may not view are left
    out, as are sections with no line (e.g. no step of the case workflow is the user's)."""
    blocks = []
    for section in todo_sections():
        if not user.has_perm(section.permission):
            continue
        todos = list(section.todos(user=user, today=today))
        if todos:
            blocks.append(TodoBlock(section.key, str(section.title), todos))
    return blocks


def list_url(url_name: str, **params) -> str:
    """E.g. list_url("admin:wishes_microwish_changelist", status__in="collected,published")."""
    query = urlencode({key: str(value) for key, value in params.items() if value not in (None, "")})
    return f"{reverse(url_name)}?{query}" if query else reverse(url_name)
