"""The ledgers (台账) that can be exported in the background, registered by the apps that own them.

A ledger is what its app knows how to write: a title, the column headers and a function from a
queryset to rows. Headers are kept as marked for the catalogue (gettext_noop, which makemessages
finds) and translated only when a file is written, in the language of that moment. The export job
(exports.services) stores the user's query, and a Celery worker on the exports queue runs it
again through the scoping function and writes the rows.

Rows are written for a `Requester` (who asked, and the options they asked with), never for
nobody: a ledger that masks ID numbers decides for the requester, in the request or the worker."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext


@dataclass(frozen=True)
class Requester:
    user: object
    options: Mapping = field(default_factory=dict)  # stored with the job, e.g. {"unmasked": True}


@dataclass(frozen=True)
class Ledger:
    key: str
    title: Callable[[], str]  # translated at write time, in the requester's language of the moment
    # The column headers as marked for the catalogue, e.g. [gettext_noop("姓名"), ...]: header_row()
    # translates them when a file is written, never at import.
    header_names: Sequence[str]
    rows: Callable[[QuerySet, Requester], Iterable[Sequence]]  # rows(queryset, requester)
    audit_detail: Mapping | Callable[[Requester], Mapping]
    # Lines added to the 导出信息 sheet (e.g. whether ID numbers are masked).
    notes: Callable[[Requester], Sequence[Sequence]] = lambda requester: ()
    # How the worker scopes the stored query again; None: grids.scoping.scope_queryset. A ledger
    # whose rows lie in two areas at once (a transfer) names its own, never a wider one.
    scope: Callable[[object, QuerySet], QuerySet] | None = None
    # The rows a ledger covers at all (e.g. party members only), applied before counting.
    restrict: Callable[[QuerySet], QuerySet] = lambda queryset: queryset
    # False for formats stations exchange with the bureau (veterans' rolls): their headers are
    # written as given, whatever the language, so a file still matches the bureau's template.
    translate_headers: bool = True

    def header_row(self) -> list[str]:
        """The headers in the language active as the file is written (the request's, or the worker's)."""
        if not self.translate_headers:
            return list(self.header_names)
        return [gettext(name) for name in self.header_names]

    def detail_for(self, requester: Requester) -> dict:
        detail = self.audit_detail(requester) if callable(self.audit_detail) else self.audit_detail
        return dict(detail)


_LEDGERS: dict[str, Ledger] = {}


def register_ledger(ledger: Ledger) -> None:
    _LEDGERS[ledger.key] = ledger


def ledger_named(key: str) -> Ledger:
    return _LEDGERS[key]
