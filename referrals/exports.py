"""转介台账 and 志愿者台账 as streamed .xlsx (audit.exports writes the 导出信息 sheet and audits)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.masking import mask_phone
from exports.registry import Ledger, Requester
from exports.services import ledger_response
from referrals.models import Referral, Volunteer

REFERRAL_HEADERS = [
    gettext_noop("编号"), gettext_noop("转介日期"), gettext_noop("姓名"), gettext_noop("街道/镇"),
    gettext_noop("社区/村"), gettext_noop("网格"), gettext_noop("服务需求"), gettext_noop("服务机构"),
    gettext_noop("机构类型"), gettext_noop("转介人"), gettext_noop("状态"), gettext_noop("接收/拒收日期"),
    gettext_noop("跟进日期"), gettext_noop("服务结果"), gettext_noop("办结日期"), gettext_noop("办结用时（天）"),
]  # fmt: skip
VOLUNTEER_HEADERS = [
    gettext_noop("服务队"), gettext_noop("服务类型"), gettext_noop("姓名"), gettext_noop("联系电话"),
    gettext_noop("专长"), gettext_noop("退役军人"), gettext_noop("在册"),
]  # fmt: skip


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _referral_rows(queryset: QuerySet[Referral], requester: Requester):
    queryset = queryset.select_related("veteran", "street", "community", "grid", "provider", "referred_by")
    for referral in queryset.order_by("referred_on", "id").iterator(chunk_size=2000):
        yield [
            referral.pk,
            referral.referred_on,
            referral.veteran.name,
            referral.street.name,
            referral.community.name,
            referral.grid.name,
            referral.need,
            referral.provider.name,
            referral.provider.get_kind_display(),
            _person(referral.referred_by),
            referral.get_status_display(),
            referral.answered_on,
            referral.follow_up_on if referral.is_open else None,
            referral.outcome,
            referral.closed_on,
            referral.days_to_close,
        ]


REFERRALS_LEDGER = Ledger(
    key="referrals",
    title=lambda: _("转介台账"),
    header_names=REFERRAL_HEADERS,
    rows=_referral_rows,
    audit_detail={"ledger": "referrals"},
)


def referrals_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=REFERRALS_LEDGER.key, queryset=queryset, user=user)


def _volunteer_rows(queryset: QuerySet[Volunteer], requester: Requester):
    for volunteer in (
        queryset.select_related("team", "veteran").order_by("team__name", "name").iterator(chunk_size=2000)
    ):
        yield [
            volunteer.team.name,
            volunteer.team.get_kind_display(),
            volunteer.name,
            mask_phone(volunteer.phone),
            volunteer.skills,
            _("是") if volunteer.veteran_id else _("否"),
            _("是") if volunteer.active else _("否"),
        ]


VOLUNTEERS_LEDGER = Ledger(
    key="referrals:volunteers",
    title=lambda: _("志愿者台账"),
    header_names=VOLUNTEER_HEADERS,
    rows=_volunteer_rows,
    audit_detail={"ledger": "volunteers"},
)


def volunteers_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=VOLUNTEERS_LEDGER.key, queryset=queryset, user=user)
