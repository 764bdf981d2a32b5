"""年度确认台账 as a streamed .xlsx."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from confirmations.models import Confirmation, ConfirmationStatus, SubsidySuspension
from exports.registry import Ledger, Requester
from exports.services import ledger_response

HEADERS = [
    gettext_noop("年度"), gettext_noop("姓名"), gettext_noop("街道/镇"), gettext_noop("社区/村"),
    gettext_noop("网格"), gettext_noop("确认截止日期"), gettext_noop("状态"), gettext_noop("确认方式"),
    gettext_noop("确认人"), gettext_noop("确认时间"), gettext_noop("备注"), gettext_noop("补助暂停日期"),
    gettext_noop("补助恢复日期"), gettext_noop("抽查结果"),
]  # fmt: skip


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _state(confirmation: Confirmation, today) -> str:
    if confirmation.status == ConfirmationStatus.PENDING and today > confirmation.round.deadline:
        return _("逾期未确认")
    return confirmation.get_status_display()


def _rows(queryset: QuerySet[Confirmation], requester: Requester):
    today = timezone.localdate()
    # Suspensions are few (at most one per reason): prefetched per chunk, latest first.
    latest_first = Prefetch("suspensions", queryset=SubsidySuspension.objects.order_by("-suspended_on", "-id"))
    queryset = (
        queryset.select_related("veteran", "round", "street", "community", "grid", "confirmed_by", "spot_check")
        .prefetch_related(latest_first)
        .order_by("year", "street_id", "community_id", "grid_id", "id")
    )
    for confirmation in queryset.iterator(chunk_size=2000):
        suspension = next(iter(confirmation.suspensions.all()), None)
        check = getattr(confirmation, "spot_check", None)
        yield [
            confirmation.year,
            confirmation.veteran.name,
            confirmation.street.name,
            confirmation.community.name,
            confirmation.grid.name,
            confirmation.round.deadline,
            _state(confirmation, today),
            confirmation.get_method_display(),
            _person(confirmation.confirmed_by),
            timezone.localtime(confirmation.confirmed_at).replace(tzinfo=None) if confirmation.confirmed_at else None,
            confirmation.notes,
            suspension.suspended_on if suspension else None,
            suspension.resumed_on if suspension else None,
            check.get_status_display() if check else "",
        ]


LEDGER = Ledger(
    key="confirmations",
    title=lambda: _("年度确认台账"),
    header_names=HEADERS,
    rows=_rows,
    audit_detail={"ledger": "confirmations"},
)


def confirmations_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset, user=user)
