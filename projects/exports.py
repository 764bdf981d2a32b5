"""服务项目台账 as a streamed .xlsx: one row per project, with its people, review, delivery and
the ratings of those served."""

from django.db.models import Avg, Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exports.registry import Ledger, Requester
from exports.services import ledger_response
from projects.models import ServiceProject

HEADERS = [
    gettext_noop("编号"), gettext_noop("项目名称"), gettext_noop("服务事项"), gettext_noop("服务层级"),
    gettext_noop("服务区域"), gettext_noop("服务对象"), gettext_noop("人数"), gettext_noop("立项人"),
    gettext_noop("立项日期"), gettext_noop("状态"), gettext_noop("审核人"), gettext_noop("审核日期"),
    gettext_noop("审核意见"), gettext_noop("交付日期"), gettext_noop("服务提供者"), gettext_noop("服务费用（元）"),
    gettext_noop("已评价人数"), gettext_noop("平均满意度"),
]  # fmt: skip


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def area_name(project: ServiceProject) -> str:
    """The smallest area the project serves, e.g. 甲街道 / a1社区."""
    parts = [project.district, project.street, project.community, project.grid]
    return " / ".join(area.name for area in parts if area is not None)


def _rows(queryset: QuerySet[ServiceProject], requester: Requester):
    queryset = (
        queryset.select_related("item", "proposer", "reviewer", "district", "street", "community", "grid")
        .prefetch_related("people")
        .annotate(
            # distinct: the admin's list counts the people through another join (people_total)
            rated=Count("deliveries__evaluation", distinct=True),
            mean=Avg("deliveries__evaluation__satisfaction"),
        )
    )
    for project in queryset.order_by("proposed_on", "id").iterator(chunk_size=2000):
        people = [person.name for person in project.people.all()]
        yield [
            project.pk,
            project.title,
            project.item.name if project.item else "",
            project.item.get_level_display() if project.item else "",
            area_name(project),
            "、".join(people),
            len(people),
            person_name(project.proposer),
            project.proposed_on,
            project.get_status_display(),
            person_name(project.reviewer),
            project.reviewed_on,
            project.review_note,
            project.delivered_on,
            project.delivered_by,
            project.cost,
            project.rated,
            round(project.mean, 1) if project.mean is not None else "",
        ]


LEDGER = Ledger(
    key="projects",
    title=lambda: _("服务项目台账"),
    header_names=HEADERS,
    rows=_rows,
    audit_detail={"ledger": "service_projects"},
)


def projects_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset, user=user)
