"""信息冲突: the station's queue of phone changes that met a newer change on the server. Both
values side by side; an action keeps the file's value or takes the worker's."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdmin
from core.errors import ApplicationError
from core.masking import mask_phone
from grids.admin_scoping import ScopedAdminMixin
from offline.models import ConflictStatus, FieldConflict
from offline.services import field_conflict_resolve


def shown_value(conflict: FieldConflict, value: str, user) -> str:
    """A phone number shows in full only to who may reveal numbers (as on the file)."""
    if conflict.field == "phone" and not user.has_perm("veterans.reveal_identity"):
        return mask_phone(value)
    return value or "—"


@admin.register(FieldConflict)
class FieldConflictAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_filter = ["status", "field"]
    list_select_related = ["veteran", "submitted_by"]
    search_fields = ["veteran__name"]
    actions = ["take_submitted", "keep_server"]
    ordering = ["status", "-submitted_at"]

    def get_list_display(self, request):
        """The value columns depend on who reads them (a ModelAdmin is shared between requests)."""
        user = request.user

        @admin.display(description=gettext_lazy("现有值"))
        def server_shown(conflict):
            return shown_value(conflict, conflict.server_value, user)

        @admin.display(description=gettext_lazy("网格员提交的值"))
        def submitted_shown(conflict):
            return shown_value(conflict, conflict.submitted_value, user)

        return ["veteran", "field_shown", server_shown, submitted_shown, "submitted_by", "submitted_at", "status"]

    @admin.display(description=gettext_lazy("字段"))
    def field_shown(self, conflict):
        return conflict.field_label

    def _resolve(self, request, queryset, take_submitted: bool):
        done, refused = 0, []
        for conflict in queryset.filter(status=ConflictStatus.OPEN).select_related("veteran"):
            try:
                field_conflict_resolve(conflict=conflict, take_submitted=take_submitted, acting_user=request.user)
                done += 1
            except ApplicationError as error:
                refused.append(f"{conflict.veteran.name}：{error.message}")
        if done:
            self.message_user(request, _("已处理 %(n)s 条信息冲突。") % {"n": done}, messages.SUCCESS)
        for line in refused[:10]:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=gettext_lazy("采用网格员提交的值（所选）"), permissions=["resolve"])
    def take_submitted(self, request, queryset):
        self._resolve(request, queryset, take_submitted=True)

    @admin.action(description=gettext_lazy("保留现有值（所选）"), permissions=["resolve"])
    def keep_server(self, request, queryset):
        self._resolve(request, queryset, take_submitted=False)

    def has_resolve_permission(self, request):
        return request.user.has_perm("offline.change_fieldconflict")
