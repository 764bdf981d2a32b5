"""Links to printable files (PDFs) that a higher app offers on a lower app's pages: the archive
card on the veteran admin page, the receipt on the donation receipt page, the payment notice on
a case page. The lower page asks this registry and never imports the app that prints; the app
that prints registers its links in its AppConfig.ready(), as with visits.card_actions.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


def _always(_obj) -> bool:
    return True


@dataclass(frozen=True)
class PrintLink:
    model: str  # "app_label.model_name" of the page's object (or of the list page's rows)
    label: str
    url_name: str  # reversed with the object's pk; with no argument when `for_object` is False
    permission: str
    for_object: bool = True  # False: a link of the model's list page (e.g. a batch print)
    shows: Callable[[object], bool] = _always  # e.g. only for a paid case


_LINKS: list[PrintLink] = []


def register_print_link(link: PrintLink) -> None:
    if link not in _LINKS:
        _LINKS.append(link)


def print_links_for(user, model: str, obj=None) -> list[tuple[str, str]]:
    """(label, url) of the links the user may follow: for `obj`, or for the list page of `model`
    when `obj` is None."""
    links = []
    for link in _LINKS:
        if link.model != model or link.for_object != (obj is not None) or not user.has_perm(link.permission):
            continue
        if obj is None:
            links.append((str(link.label), reverse(link.url_name)))
        elif link.shows(obj):
            links.append((str(link.label), reverse(link.url_name, args=[obj.pk])))
    return links
