"""党员台账 and 三会一课台账 as streamed .xlsx (with the 导出信息 sheet, audited)."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exports.registry import Ledger, Requester
from exports.services import ledger_response
from party.models import AttendanceStatus, OrganisationLife, PartyMember

MEMBER_HEADERS = [
    gettext_noop("姓名"), gettext_noop("性别"), gettext_noop("出生日期"), gettext_noop("街道/镇"),
    gettext_noop("社区/村"), gettext_noop("网格"), gettext_noop("组织关系"), gettext_noop("所在党组织"),
    gettext_noop("跟进状态"),
]  # fmt: skip
LIFE_HEADERS = [
    gettext_noop("日期"), gettext_noop("党组织"), gettext_noop("类型"), gettext_noop("主题"),
    gettext_noop("应到"), gettext_noop("出席"), gettext_noop("请假"), gettext_noop("缺席"),
]  # fmt: skip


def _member_rows(queryset: QuerySet[PartyMember], requester: Requester):
    queryset = queryset.select_related("street", "community", "grid").order_by("street", "community", "grid", "id")
    for member in queryset.iterator(chunk_size=2000):
        yield [
            member.name,
            member.get_gender_display(),
            member.birth_date,
            member.street.name,
            member.community.name,
            member.grid.name,
            member.get_party_relation_display(),
            getattr(member, "organisation_name", None) or _("尚未纳入"),
            _("跟进中") if getattr(member, "followed_up", False) else "",
        ]


MEMBERS_LEDGER = Ledger(
    key="party:members",
    title=lambda: _("党员台账"),
    header_names=MEMBER_HEADERS,
    rows=_member_rows,
    audit_detail={"ledger": "party_members"},
)


def members_ledger_response(queryset, *, user, request=None):
    """`queryset` comes from party.selectors.members_for (organisation_name, followed_up)."""
    return ledger_response(request, ledger_key=MEMBERS_LEDGER.key, queryset=queryset, user=user)


def _life_rows(queryset: QuerySet[OrganisationLife], requester: Requester):
    counted = queryset.select_related("organisation").annotate(
        expected=Count("attendance"),
        **{
            status: Count("attendance", filter=Q(attendance__status=status))
            for status in (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT)
        },
    )
    for life in counted.order_by("held_on", "id").iterator(chunk_size=2000):
        yield [
            life.held_on,
            life.organisation.name,
            life.get_kind_display(),
            life.topic,
            life.expected,
            life.present,
            life.excused,
            life.absent,
        ]


LIFE_LEDGER = Ledger(
    key="party:life",
    title=lambda: _("三会一课台账"),
    header_names=LIFE_HEADERS,
    rows=_life_rows,
    audit_detail={"ledger": "party_life"},
)


def life_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=LIFE_LEDGER.key, queryset=queryset, user=user)
