"""The audit pages (audit.AuditEvent): here rather than in audit because they are scoped by area
(grids.admin_scoping). Registered by grids.admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from audit.selectors import search_events
from core.admin import ReadOnlyAdmin
from core.admin_paging import CityScaleListMixin
from exports.services import ledger_response
from grids.admin_scoping import ScopedAdminMixin
from grids.audit_ledger import LEDGER


@admin.register(AuditEvent)
class AuditEventAdmin(CityScaleListMixin, ScopedAdminMixin, ReadOnlyAdmin):
    """The audit can be searched, viewed and exported by auditors, never changed."""

    list_display = ["occurred_at", "actor_username", "ip_address", "action", "result", "object_repr"]
    list_filter = ["action", "result", "occurred_at"]
    search_fields = ["actor_username", "object_repr", "object_id", "ip_address"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]
    page_ids_first = "occurred_at"  # a two-character name's events: audit_repr_prefix_cover_idx
    actions = ["export_events"]

    def get_search_results(self, request, queryset, search_term):
        return search_events(queryset, search_term), False

    @admin.action(description=gettext_lazy("导出所选审计日志"), permissions=["view"])
    def export_events(self, request, queryset):
        return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset)
