"""The admin site as the station's workbench: its index shows what waits for the user (the
to-dos the apps register in core.workbench), then the models grouped by the station's tasks
rather than Django's one list per app. Installed by core.admin_apps.WorkbenchAdminConfig."""

from django.contrib import admin
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.workbench import todos_for

# The station's tasks, each with its models (app_label.model_name) in the order they are used.
# A registered model that no task names is listed under 其他 (core/tests: every model is named).
TASK_GROUPS: list[tuple[str, str, list[str]]] = [
    ("records", _("服务对象档案"), ["veterans.veteran", "offline.fieldconflict"]),
    (
        "visits",
        _("走访慰问"),
        ["visits.visit", "visits.mustvisitevent", "visits.campaign", "visits.gridactivity", "visits.visitpolicy"],
    ),
    (
        "assistance",
        _("帮扶救助"),
        ["assistance.hardshipcase", "assistance.relieffund", "assistance.fundentry", "assistance.casetype"],
    ),
    ("appeals", _("诉求与心愿"), ["appeals.appeal", "wishes.microwish", "appeals.appealcategory"]),
    ("moves", _("迁移与合并"), ["transfers.transfer", "merging.duplicatepair"]),
    (
        "confirmations",
        _("年度确认"),
        [
            "confirmations.confirmation",
            "confirmations.confirmationround",
            "confirmations.spotcheck",
            "confirmations.subsidysuspension",
        ],
    ),
    (
        "employment",
        _("就业创业"),
        [
            "employment.employmentprofile",
            "employment.jobreferral",
            "employment.employer",
            "employment.employmentbase",
            "employment.jobfair",
            "employment.fairattendance",
            "training.enrolment",
            "training.course",
            "training.trainingprovider",
        ],
    ),
    (
        "projects",
        _("服务项目（1555）"),
        [
            "projects.serviceneed",
            "projects.serviceproject",
            "projects.servicedelivery",
            "projects.serviceevaluation",
            "projects.servedperson",
            "projects.serviceitem",
        ],
    ),
    (
        "party",
        _("党员组织关系"),
        [
            "party.partymember",
            "party.followup",
            "party.partyorganisation",
            "party.membership",
            "party.organisationlife",
            "party.attendance",
        ],
    ),
    (
        "pairing",
        _("一对一结对"),
        ["pairing.pair", "pairing.coverageperson", "pairing.paircontact", "pairing.pairgift"],
    ),
    (
        "referrals",
        _("志愿服务与转介"),
        ["referrals.referral", "referrals.provider", "referrals.volunteerteam", "referrals.volunteer"],
    ),
    ("honours", _("评选表彰"), ["honours.meritnotice", "honours.nomination", "honours.selection"]),
    ("maps", _("地图"), ["maps.homeposition", "maps.areaboundary"]),
    (
        "areas",
        _("区域与工作人员"),
        ["grids.district", "grids.street", "grids.community", "grids.grid", "grids.staffprofile"],
    ),
    (
        "system",
        _("系统与审计"),
        [
            "audit.auditevent",
            "auth.user",
            "auth.group",
            "visits.webhookchannel",
            "django_celery_beat.periodictask",
            "django_celery_beat.crontabschedule",
            "django_celery_beat.intervalschedule",
            "django_celery_beat.clockedschedule",
            "django_celery_beat.solarschedule",
            "axes.accessattempt",
            "axes.accessfailurelog",
            "axes.accesslog",
        ],
    ),
]
OTHER_GROUP = ("other", _("其他"))


class WorkbenchAdminSite(admin.AdminSite):
    site_header = _("退役军人网格化服务管理")
    site_title = _("退役军人网格化服务管理")
    index_title = _("工作台")
    # The staff bar and the workbench's task groups lead everywhere; the lists keep the width.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        """One app's page (/admin/<app>/) stays Django's; the index and the sidebar list the
        models by task."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        models = {}
        for app in self._build_app_dict(request).values():
            for model in app["models"]:
                models[model["model"]._meta.label_lower] = model
        groups = []
        for key, title, labels in TASK_GROUPS:
            chosen = [models.pop(label) for label in labels if label in models]
            if chosen:
                groups.append(_group(key, title, chosen))
        if models:
            others = sorted(models.values(), key=lambda model: str(model["name"]))
            groups.append(_group(*OTHER_GROUP, others))
        return groups

    def index(self, request, extra_context=None):
        context = {"todo_blocks": todos_for(request.user, today=timezone.localdate()), **(extra_context or {})}
        return super().index(request, extra_context=context)


def _group(key: str, title, models: list[dict]) -> dict:
    # The shape of Django's app dicts; no app_url: a task has no page of its own.
    return {"name": capfirst(str(title)), "app_label": key, "app_url": "", "has_module_perms": True, "models": models}
