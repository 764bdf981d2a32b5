"""To-dos on the mobile veteran card that other apps add (open hardship cases, ...), beside the
card's own must-visit events and follow-ups.

An app registers a provider in its AppConfig.ready(), as with visits.card_actions. A provider
reads its items for one person in one query, scoped to the user: the card's query count then
grows by one per provider, never with the number of items.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CardTodo:
    title: str
    status: str = ""  # shown as a tag beside the title
    detail: str = ""  # dates, amounts: shown muted below
    url: str = ""  # where to deal with it


@dataclass(frozen=True)
class CardTodoProvider:
    items: Callable[..., Iterable[CardTodo]]  # items(user=, veteran=)
    permission: str  # asked before the provider is called: no query for those who may not see


_PROVIDERS: list[CardTodoProvider] = []


def register_card_todos(provider: CardTodoProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def card_todos_for(user, veteran) -> list[CardTodo]:
    return [
        item
        for provider in _PROVIDERS
        if user.has_perm(provider.permission)
        for item in provider.items(user=user, veteran=veteran)
    ]
