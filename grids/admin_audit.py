"""The audit pages (audit.AuditEvent): here rather than in audit because they are scoped by area
(grids.admin_scoping). Registered by grids.admin."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from audit.exports import xlsx_download
from audit.models import AuditEvent
from audit.selectors import search_events
from core.admin import ReadOnlyAdmin
from core.admin_paging import CityScaleListMixin
from grids.admin_scoping import ScopedAdminMixin

HEADERS = [
    gettext_noop("时间"),
    gettext_noop("用户名"),
    gettext_noop("IP地址"),
    gettext_noop("操作类型"),
    gettext_noop("结果"),
    gettext_noop("对象类型"),
    gettext_noop("对象编号"),
    gettext_noop("对象"),
    gettext_noop("详情"),
]


def _rows(queryset):
    for event in queryset.order_by("occurred_at", "id").iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_username,
            event.ip_address or "",
            event.get_action_display(),
            event.get_result_display(),
            event.object_type,
            event.object_id,
            event.object_repr,
            str(event.detail or ""),
        ]


@admin.register(AuditEvent)
class AuditEventAdmin(CityScaleListMixin, ScopedAdminMixin, ReadOnlyAdmin):
    """The audit can be searched, viewed and exported by auditors, never changed."""

    list_display = ["occurred_at", "actor_username", "ip_address", "action", "result", "object_repr"]
    list_filter = ["action", "result", "occurred_at"]
    search_fields = ["actor_username", "object_repr", "object_id", "ip_address"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]
    actions = ["export_events"]

    def get_search_results(self, request, queryset, search_term):
        return search_events(queryset, search_term), False

    @admin.action(description=gettext_lazy("导出所选审计日志"), permissions=["view"])
    def export_events(self, request, queryset):
        return xlsx_download(
            title=_("审计日志"),
            headers=[_(h) for h in HEADERS],
            rows=_rows(queryset),
            user=request.user,
            request=request,
            audit_detail={"ledger": "audit"},
        )
