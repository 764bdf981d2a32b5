"""What the load test's simulated people read off the pages they are served, as a browser would:
the veterans linked from the due list, the fields of a form with their defaults, the dashboard's
drill-down links. No locust here, so the tests check these against the real pages."""

import html
import re
from html.parser import HTMLParser

CARD_LINK = re.compile(r'href="/m/v/(\d+)/"')
DRILL_LINK = re.compile(r'<a class="drill" href="\?level=(\w+)&(?:amp;)?id=(\d+)"')
OVERDUE_LINK = re.compile(r'<a class="overdue-link" href="([^"]+)"')


def veteran_ids(page: str) -> list[int]:
    """The veterans a due list (/m/) links to, in the order shown."""
    return list(dict.fromkeys(int(pk) for pk in CARD_LINK.findall(page)))


def drill_links(page: str) -> list[tuple[str, int]]:
    """(level, id) of each child area in the dashboard's table."""
    return [(level, int(pk)) for level, pk in DRILL_LINK.findall(page)]


def overdue_links(page: str) -> list[str]:
    """The dashboard's links to the scoped lists of overdue visits and appeals."""
    return [html.unescape(href) for href in OVERDUE_LINK.findall(page)]


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.inside = self.form_id is None or attributes.get("id") == self.form_id
        if not self.inside or ("name" not in attributes and tag != "option"):
            return
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind == "file" or (kind in ("checkbox", "radio") and "checked" not in attributes):
                return
            self.fields[attributes["name"]] = attributes.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self.fields[attributes["name"]] = ""
        elif tag == "select":
            self._select, self._first_option = attributes["name"], None
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.fields[self._select] = value
            if "selected" in attributes:
                self.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(page: str, form_id: str | None = None) -> dict[str, str]:
    """The fields a browser would submit for the form (by id, else any form) left as served:
    hidden and filled inputs, the selected option, checked boxes; file inputs are left empty."""
    reader = _FormReader(form_id)
    reader.feed(page)
    reader.close()
    return reader.fields
