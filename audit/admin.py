from django.contrib import admin

from audit.models import AuditEvent
from core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit can be searched and viewed, never changed."""

    list_display = ["occurred_at", "actor_username", "ip_address", "action", "result", "object_repr"]
    list_filter = ["action", "result", "occurred_at"]
    search_fields = ["actor_username", "object_repr", "object_id", "ip_address"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]
    show_full_result_count = False
