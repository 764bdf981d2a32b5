"""培训台账 as a streamed .xlsx: one row per enrolment, in the columns stations keep on paper."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exports.registry import Ledger, Requester
from exports.services import ledger_response
from training.models import Enrolment
from training.selectors import attendance_rate, with_attendance

HEADERS = [
    gettext_noop("编号"), gettext_noop("姓名"), gettext_noop("街道/镇"), gettext_noop("社区/村"),
    gettext_noop("网格"), gettext_noop("培训项目"), gettext_noop("工种/技能"), gettext_noop("培训机构"),
    gettext_noop("开班日期"), gettext_noop("结业日期"), gettext_noop("报名日期"), gettext_noop("状态"),
    gettext_noop("出勤率（%）"), gettext_noop("证书名称"), gettext_noop("证书编号"), gettext_noop("发证日期"),
]  # fmt: skip


def _rows(queryset: QuerySet[Enrolment], requester: Requester):
    related = ("veteran", "street", "community", "grid", "course", "course__provider")
    queryset = with_attendance(queryset.select_related(*related)).order_by("course__starts_on", "course_id", "id")
    for enrolment in queryset.iterator(chunk_size=2000):
        course = enrolment.course
        rate = attendance_rate(enrolment)
        yield [
            enrolment.pk,
            enrolment.veteran.name,
            enrolment.street.name,
            enrolment.community.name,
            enrolment.grid.name,
            course.title,
            course.trade,
            course.provider.name,
            course.starts_on,
            course.ends_on,
            enrolment.enrolled_on,
            enrolment.get_status_display(),
            rate if rate is not None else "",
            course.certificate_name if enrolment.certified else "",
            enrolment.certificate_number,
            enrolment.certificate_on,
        ]


LEDGER = Ledger(
    key="training",
    title=lambda: _("培训台账"),
    header_names=HEADERS,
    rows=_rows,
    audit_detail={"ledger": "training"},
)


def training_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset, user=user)
