"""The workbench's service project lines: needs no live project holds, proposals waiting for
review, delivered projects waiting for the ratings of those served."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from projects.models import ProjectStatus
from projects.selectors import todo_counts


def project_todos(*, user, today: datetime.date) -> list[Todo]:
    counts = todo_counts(user=user)
    projects = "admin:projects_serviceproject_changelist"
    return [
        Todo(
            _("未立项的服务需求"),
            counts["unplanned"],
            list_url("admin:projects_serviceneed_changelist", state="unplanned"),
        ),
        Todo(_("待审核的服务项目"), counts["waiting"], list_url(projects, status__exact=ProjectStatus.PROPOSED)),
        Todo(_("已交付待评价"), counts["unrated"], list_url(projects, status__exact=ProjectStatus.DELIVERED)),
    ]


SECTION = TodoSection(
    key="projects",
    title=gettext_lazy("服务项目（1555）"),
    permission="projects.view_serviceproject",
    todos=project_todos,
    order=40,
)
