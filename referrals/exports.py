"""转介台账 and 志愿者台账 as streamed .xlsx (audit.exports writes the 导出信息 sheet and audits)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.exports import xlsx_download
from core.masking import mask_phone
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


def _referral_rows(queryset: QuerySet[Referral]):
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


def referrals_ledger_response(queryset, *, user, request=None):
    return xlsx_download(
        title=_("转介台账"),
        headers=[_(h) for h in REFERRAL_HEADERS],
        rows=_referral_rows(queryset),
        user=user,
        request=request,
        audit_detail={"ledger": "referrals"},
    )


def _volunteer_rows(queryset: QuerySet[Volunteer]):
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


def volunteers_ledger_response(queryset, *, user, request=None):
    return xlsx_download(
        title=_("志愿者台账"),
        headers=[_(h) for h in VOLUNTEER_HEADERS],
        rows=_volunteer_rows(queryset),
        user=user,
        request=request,
        audit_detail={"ledger": "volunteers"},
    )
