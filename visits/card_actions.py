"""Buttons on the mobile veteran card that other apps add (hardship case, appeal, wish).

An app registers an action in its AppConfig.ready(); wiring a new form onto the card is then
one `register_card_action(...)` line.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class CardAction:
    label: str
    url_name: str  # reversed with the veteran's id
    permission: str


_ACTIONS: list[CardAction] = []


def register_card_action(action: CardAction) -> None:
    if action not in _ACTIONS:
        _ACTIONS.append(action)


def card_actions_for(user, veteran_id: int) -> list[tuple[str, str]]:
    return [(str(a.label), reverse(a.url_name, args=[veteran_id])) for a in _ACTIONS if user.has_perm(a.permission)]
