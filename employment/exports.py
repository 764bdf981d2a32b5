"""就业创业实名登记台账 as a streamed .xlsx, in the columns the stations keep (Zhenping's registry of
employment, entrepreneurship and job needs)."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from employment.models import EmploymentProfile, ReferralResult
from exports.registry import Ledger, Requester
from exports.services import ledger_response

HEADERS = [
    gettext_noop("序号"), gettext_noop("姓名"), gettext_noop("性别"), gettext_noop("出生日期"), gettext_noop("街道/镇"),
    gettext_noop("社区/村"), gettext_noop("网格"), gettext_noop("就业状态"), gettext_noop("状态起始日期"),
    gettext_noop("就业单位或创业项目"), gettext_noop("技能特长"), gettext_noop("技能证书"), gettext_noop("求职意愿"),
    gettext_noop("培训意愿"), gettext_noop("创业意愿"), gettext_noop("意愿说明"), gettext_noop("推荐就业次数"),
    gettext_noop("推荐录用次数"), gettext_noop("登记日期"),
]  # fmt: skip


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


def _rows(queryset: QuerySet[EmploymentProfile], requester: Requester):
    queryset = queryset.select_related("person", "street", "community", "grid").prefetch_related("certificates")
    queryset = queryset.annotate(
        referrals=Count("person__job_referrals", distinct=True),
        hires=Count(
            "person__job_referrals", filter=Q(person__job_referrals__result=ReferralResult.HIRED), distinct=True
        ),
    )
    for number, profile in enumerate(
        queryset.order_by("street", "community", "grid", "id").iterator(chunk_size=2000), start=1
    ):
        person = profile.person
        yield [
            number,
            person.name,
            person.get_gender_display(),
            person.birth_date,
            profile.street.name,
            profile.community.name,
            profile.grid.name,
            profile.get_status_display(),
            profile.status_since,
            profile.workplace,
            profile.skills,
            "、".join(f"{c.name}（{c.issuer}）" for c in profile.certificates.all()),
            _yes(profile.wants_job),
            _yes(profile.wants_training),
            _yes(profile.wants_business),
            profile.wish_note,
            profile.referrals,
            profile.hires,
            profile.registered_on,
        ]


LEDGER = Ledger(
    key="employment",
    title=lambda: _("就业创业实名登记台账"),
    header_names=HEADERS,
    rows=_rows,
    audit_detail={"ledger": "employment"},
)


def registry_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset, user=user)
