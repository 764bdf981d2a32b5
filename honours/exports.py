"""The two ledgers of honours as streamed .xlsx (with the 导出信息 sheet, audited):
评选表彰台账 (every nomination and its result) and 立功喜报送达台账 (every notice, delivered or not)."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exports.registry import Ledger, Requester
from exports.services import ledger_response
from honours.models import MeritNotice, Nomination

NOMINATION_HEADERS = [
    gettext_noop("评选名称"), gettext_noop("年度"), gettext_noop("评选类别"), gettext_noop("评选级别"),
    gettext_noop("姓名"), gettext_noop("性别"), gettext_noop("人员类别"), gettext_noop("街道/镇"),
    gettext_noop("社区/村"), gettext_noop("网格"), gettext_noop("推荐单位"), gettext_noop("推荐事迹"),
    gettext_noop("推荐日期"), gettext_noop("结果"), gettext_noop("评定日期"), gettext_noop("公布日期"),
]  # fmt: skip
NOTICE_HEADERS = [
    gettext_noop("编号"), gettext_noop("军属姓名"), gettext_noop("街道/镇"), gettext_noop("社区/村"),
    gettext_noop("网格"), gettext_noop("立功军人姓名"), gettext_noop("所在部队"), gettext_noop("立功受奖类别"),
    gettext_noop("收到喜报日期"), gettext_noop("送达日期"), gettext_noop("送达方式"), gettext_noop("送达人"),
    gettext_noop("送达用时（天）"), gettext_noop("送达情况"),
]  # fmt: skip


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _nomination_rows(queryset: QuerySet[Nomination], requester: Requester):
    queryset = queryset.select_related("selection", "veteran", "street", "community", "grid")
    for nomination in queryset.order_by("selection_id", "id").iterator(chunk_size=2000):
        selection, person = nomination.selection, nomination.veteran
        yield [
            selection.name,
            selection.year,
            selection.get_kind_display(),
            selection.get_level_display(),
            person.name,
            person.get_gender_display(),
            person.get_person_kind_display(),
            nomination.street.name,
            nomination.community.name,
            nomination.grid.name,
            nomination.nominated_by,
            nomination.reason,
            nomination.nominated_on,
            nomination.get_status_display(),
            nomination.decided_on,
            selection.announced_on,
        ]


def _waited(notice: MeritNotice, today) -> int:
    return ((notice.delivered_on or today) - notice.received_on).days


def _notice_rows(queryset: QuerySet[MeritNotice], requester: Requester):
    today = timezone.localdate()
    queryset = queryset.select_related("family", "street", "community", "grid", "delivered_by")
    for notice in queryset.order_by("received_on", "id").iterator(chunk_size=2000):
        yield [
            notice.pk,
            notice.family.name,
            notice.street.name,
            notice.community.name,
            notice.grid.name,
            notice.soldier_name,
            notice.unit,
            notice.get_merit_kind_display(),
            notice.received_on,
            notice.delivered_on or _("待送达"),
            notice.get_delivery_way_display(),
            _person(notice.delivered_by),
            _waited(notice, today),
            notice.delivery_note,
        ]


NOMINATIONS_LEDGER = Ledger(
    key="honours:nominations",
    title=lambda: _("评选表彰台账"),
    header_names=NOMINATION_HEADERS,
    rows=_nomination_rows,
    audit_detail={"ledger": "honours_nominations"},
)


def nominations_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=NOMINATIONS_LEDGER.key, queryset=queryset, user=user)


NOTICES_LEDGER = Ledger(
    key="honours:merit_notices",
    title=lambda: _("立功喜报送达台账"),
    header_names=NOTICE_HEADERS,
    rows=_notice_rows,
    audit_detail={"ledger": "honours_merit_notices"},
)


def notices_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=NOTICES_LEDGER.key, queryset=queryset, user=user)
