from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeals.exports import appeals_ledger_response
from appeals.filters import URGENCY_CHOICES, AppealFilter
from appeals.models import Appeal, AppealCategory, AppealDocument, AppealNote
from appeals.services import appeal_open, category_save
from core.admin import status_badge
from core.admin_filters import FilterSetListFilter
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from grids.admin_scoping import ScopedAdminMixin
from veterans import admin_filters as area_filters

CATEGORY_FIELDS = ["name", "kind", "deadline_days", "checklist", "active"]


class CategoryForm(ServiceModelForm):
    class Meta:
        model = AppealCategory
        fields = CATEGORY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_pk = self.instance.pk  # the dry run gives the instance a pk; remember the truth

    def run_service(self):
        category = AppealCategory(pk=self.original_pk, **{name: self.cleaned_data[name] for name in CATEGORY_FIELDS})
        return category_save(category=category, acting_user=self.acting_user)


@admin.register(AppealCategory)
class AppealCategoryAdmin(ServiceFormAdminMixin, admin.ModelAdmin):
    form = CategoryForm
    list_display = ["name", "kind", "deadline_days", "active"]
    list_filter = ["kind", "active"]

    def has_delete_permission(self, request, obj=None):
        return False  # appeals keep their category; retire one by unticking 启用


class AppealForm(ServiceModelForm):
    class Meta:
        model = Appeal
        fields = ["veteran", "category", "channel", "subject", "content", "received_on", "handler"]

    def run_service(self):
        return appeal_open(acting_user=self.acting_user, **self.cleaned_data)


class UrgencyFilter(FilterSetListFilter):
    title = gettext_lazy("时限")
    parameter_name = "urgency"
    filterset_class = AppealFilter
    options = {value: (label, {"urgency": value}) for value, label in URGENCY_CHOICES}


class NoteInline(admin.TabularInline):
    model = AppealNote
    extra = 0
    fields = ["at", "kind", "text", "author"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(NoteInline):
    model = AppealDocument
    fields = ["name", "received_on"]
    readonly_fields = fields


@admin.register(Appeal)
class AppealAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """The station's appeal book: taken in here or on the phone, handled on the desk page."""

    form = AppealForm
    list_display = [
        "number",
        "veteran",
        "subject",
        "category",
        "received_on",
        "deadline_display",
        "handler",
        status_badge(Appeal),
        "desk_link",
    ]
    list_select_related = ["veteran", "category", "handler"]
    list_filter = [
        "status",
        UrgencyFilter,
        "category__kind",
        "category",
        "channel",
        area_filters.DistrictFilter,
        area_filters.StreetFilter,
        area_filters.CommunityFilter,
        area_filters.GridFilter,
    ]
    search_fields = ["veteran__name", "subject"]
    raw_id_fields = ["veteran"]
    date_hierarchy = "received_on"
    actions = ["export_ledger"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Appeal._meta.fields] if obj else []

    def get_inlines(self, request, obj):
        return [DocumentInline, NoteInline] if obj else []

    def has_change_permission(self, request, obj=None):
        return False  # steps are taken on the desk page, through the services

    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("appeals:detail", pk=obj.pk)

    @admin.display(description=gettext_lazy("编号"), ordering="pk")
    def number(self, appeal):
        return appeal.pk

    @admin.display(description=gettext_lazy("办理期限"), ordering="deadline")
    def deadline_display(self, appeal):
        today = timezone.localdate()
        if appeal.is_open and appeal.deadline < today:
            late = _("超期%(days)s天") % {"days": (today - appeal.deadline).days}
            return format_html('<span class="overdue" style="color:#a40000">{} {}</span>', appeal.deadline, late)
        return appeal.deadline

    @admin.display(description=gettext_lazy("办理"))
    def desk_link(self, appeal):
        return format_html('<a href="{}">{}</a>', reverse("appeals:detail", args=[appeal.pk]), _("办理页"))

    @admin.action(description=gettext_lazy("导出所选：问题诉求台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return appeals_ledger_response(queryset, user=request.user, request=request)
