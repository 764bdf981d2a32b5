"""Station staff's wish list: scoped, added through wish_collect, moved on by actions that call
the services; claim, fulfil and cancel (which need data) are done on the desk page of the wish."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import money_column, status_badge
from core.admin_filters import FilterSetListFilter
from core.admin_forms import ServiceFormAdminMixin
from core.errors import ApplicationError
from grids.admin_scoping import ScopedAdminMixin
from veterans import admin_filters as area_filters
from wishes.exports import wishes_ledger_response
from wishes.filters import WishFilter
from wishes.forms import WishAdminForm
from wishes.models import MicroWish
from wishes.services import STEPS, wish_confirm, wish_publish


class HasPhotoFilter(FilterSetListFilter):
    title = gettext_lazy("实现照片")
    parameter_name = "has_photo"
    filterset_class = WishFilter
    options = {
        "yes": (gettext_lazy("有照片"), {"has_photo": "true"}),
        "no": (gettext_lazy("无照片"), {"has_photo": "false"}),
    }


def _batch(modeladmin, request, queryset, service, done_message):
    """The same step for each selected wish, each in its own transaction; refusals are listed."""
    done = 0
    for wish in queryset.select_related("veteran"):
        try:
            service(wish=wish, acting_user=request.user)
        except ApplicationError as error:
            refusal = _("%(wish)s：%(reason)s") % {"wish": wish, "reason": error.message}
            modeladmin.message_user(request, refusal, messages.WARNING)
        else:
            done += 1
    modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


VIEW_FIELDS = [
    "veteran", "title", "description", "estimated_value", "status", "grid", "collected_by", "collected_on",
    "published_by", "published_at", "donor_kind", "donor_name", "donor_phone", "claimed_on", "fulfilled_on",
    "fulfilment_note", "photo_link", "fulfilled_by", "confirmed_by", "confirmed_at", "cancel_reason", "cancelled_by",
    "cancelled_at", "created_at", "desk_link",
]  # fmt: skip


@admin.register(MicroWish)
class MicroWishAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = WishAdminForm
    list_display = [
        "veteran",
        "title",
        money_column(MicroWish, "estimated_value"),
        status_badge(MicroWish),
        "donor_display",
        "claimed_on",
        "fulfilled_on",
        "grid",
        "desk_link",
    ]
    list_select_related = ["veteran", "grid"]
    list_filter = [
        "status",
        area_filters.StreetFilter,
        area_filters.CommunityFilter,
        area_filters.GridFilter,
        HasPhotoFilter,
        "donor_kind",
    ]
    search_fields = ["veteran__name", "title", "donor_name"]
    raw_id_fields = ["veteran"]  # a select of every veteran in a district would be far too long
    date_hierarchy = "collected_on"
    actions = ["publish_wishes", "confirm_wishes", "export_ledger"]

    def get_fields(self, request, obj=None):
        return VIEW_FIELDS if obj else ["veteran", "title", "description", "estimated_value"]

    def get_readonly_fields(self, request, obj=None):
        return VIEW_FIELDS if obj else []

    def has_change_permission(self, request, obj=None):
        return False  # every change is a workflow step through a service

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("认领方"), ordering="donor_name")
    def donor_display(self, wish):
        return wish.donor_name or wish.get_donor_kind_display()

    @admin.display(description=gettext_lazy("办理"))
    def desk_link(self, wish):
        return format_html('<a href="{}">{}</a>', reverse("wishes:detail", args=[wish.pk]), _("办理页"))

    @admin.display(description=gettext_lazy("实现照片"))
    def photo_link(self, wish):
        if not wish.photo:
            return ""
        return format_html('<a href="{}" target="_blank">{}</a>', reverse("wishes:photo", args=[wish.pk]), _("查看"))

    @admin.action(description=STEPS["publish"].label, permissions=["view"])
    def publish_wishes(self, request, queryset):
        _batch(self, request, queryset, wish_publish, _("已发布 %(count)s 个心愿。"))

    @admin.action(description=STEPS["confirm"].label, permissions=["view"])
    def confirm_wishes(self, request, queryset):
        _batch(self, request, queryset, wish_confirm, _("已确认销号 %(count)s 个心愿。"))

    @admin.action(description=gettext_lazy("导出微心愿台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return wishes_ledger_response(queryset, user=request.user, request=request)
