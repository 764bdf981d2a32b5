"""The bureau's and stations' books of honours: selection rounds with their nominations, the
nominations with their results, and the merit notices waiting or delivered. Every write goes
through honours.services; every list is scoped."""

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import status_badge
from core.admin_filters import FilterSetListFilter
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from core.errors import ApplicationError
from grids.admin_scoping import ScopedAdminMixin
from honours import services
from honours.exports import nominations_ledger_response, notices_ledger_response
from honours.filters import DELIVERY_CHOICES, MeritNoticeFilter
from honours.models import DeliveryWay, MeritNotice, Nomination, NominationStatus, Selection
from honours.selectors import URGENT_AFTER_DAYS, nominations_for, open_selections_for
from veterans import admin_filters as area_filters

AREA_FILTERS = [
    area_filters.DistrictFilter,
    area_filters.StreetFilter,
    area_filters.CommunityFilter,
    area_filters.GridFilter,
]


def _each(modeladmin, request, queryset, step) -> None:
    """Run `step(row)` on every chosen row; report how many went through and the first refusal."""
    done, refusals = 0, []
    for row in queryset:
        try:
            step(row)
        except ApplicationError as error:
            refusals.append(f"{row}：{error.message}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, _("已处理%(count)s条。") % {"count": done}, messages.SUCCESS)
    if refusals:
        modeladmin.message_user(request, refusals[0], messages.ERROR)


class ReadOnlyAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """Rows are added through a service form; later steps are actions. Nothing is deleted."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Selections --------------------------------------------------------------------------------


class SelectionForm(ServiceModelForm):
    class Meta:
        model = Selection
        fields = ["name", "kind", "level", "year", "district", "nomination_deadline"]

    def run_service(self):
        return services.selection_open(acting_user=self.acting_user, **self.cleaned_data)


class NominationInline(admin.TabularInline):
    """The nominations of the round that the user may see (a street station: its own people)."""

    model = Nomination
    extra = 0
    fields = ["veteran", "grid", "nominated_by", "nominated_on", "status", "decided_on"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return nominations_for(user=request.user).select_related("veteran", "grid")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _count_of(user, **condition):
    """Nominations of each listed round, counted inside the user's scope."""
    rows = nominations_for(user=user).filter(selection=OuterRef("pk"), **condition).order_by()
    counted = rows.values("selection").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(Selection)
class SelectionAdmin(ReadOnlyAdmin):
    form = SelectionForm
    list_display = [
        "name", "year", "kind", "level", "nomination_deadline", status_badge(Selection), "nominated", "selected",
        "announced_on",
    ]  # fmt: skip
    list_filter = ["status", "kind", "level", "year"]
    search_fields = ["name"]
    actions = ["close_nominations", "announce_today", "export_ledger"]
    inlines = [NominationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                nominated_count=_count_of(request.user),
                selected_count=_count_of(request.user, status=NominationStatus.SELECTED),
            )
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    @admin.display(description=gettext_lazy("推荐人数"), ordering="nominated_count")
    def nominated(self, selection):
        return selection.nominated_count

    @admin.display(description=gettext_lazy("当选人数"), ordering="selected_count")
    def selected(self, selection):
        return selection.selected_count

    @admin.action(description=gettext_lazy("截止推荐，进入评审"), permissions=["view"])
    def close_nominations(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda s: services.selection_close_nominations(selection=s, acting_user=request.user),
        )

    @admin.action(description=gettext_lazy("公布评选结果（今日）"), permissions=["view"])
    def announce_today(self, request, queryset):
        today = timezone.localdate()
        _each(
            self, request, queryset,
            lambda s: services.selection_announce(selection=s, announced_on=today, acting_user=request.user),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("导出所选：评选表彰台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        nominations = nominations_for(user=request.user).filter(selection__in=queryset.values("pk"))
        return nominations_ledger_response(nominations, user=request.user, request=request)


# --- Nominations -------------------------------------------------------------------------------


class NominationForm(ServiceModelForm):
    class Meta:
        model = Nomination
        fields = ["selection", "veteran", "nominated_by", "reason", "nominated_on"]

    def run_service(self):
        return services.nomination_add(acting_user=self.acting_user, **self.cleaned_data)


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    form = NominationForm
    list_display = [
        "veteran", "selection", "grid", "nominated_by", "nominated_on", status_badge(Nomination), "decided_on",
    ]  # fmt: skip
    list_select_related = ["veteran", "selection", "grid"]
    list_filter = ["selection", "status", "selection__year", *AREA_FILTERS]
    search_fields = ["veteran__name", "nominated_by"]
    raw_id_fields = ["veteran"]
    actions = ["decide_selected", "decide_not_selected", "export_ledger"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "selection":
            field.queryset = open_selections_for(user=request.user)  # only rounds taking nominations
        return field

    def get_changeform_initial_data(self, request):
        return {"nominated_on": timezone.localdate(), **super().get_changeform_initial_data(request)}

    def _decide(self, request, queryset, selected: bool):
        today = timezone.localdate()
        _each(
            self, request, queryset,
            lambda n: services.nomination_decide(
                nomination=n, selected=selected, decided_on=today, acting_user=request.user
            ),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("评定为当选（今日）"), permissions=["view"])
    def decide_selected(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=gettext_lazy("评定为未当选（今日）"), permissions=["view"])
    def decide_not_selected(self, request, queryset):
        self._decide(request, queryset, False)

    @admin.action(description=gettext_lazy("导出所选：评选表彰台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return nominations_ledger_response(queryset, user=request.user, request=request)


# --- Merit notices -----------------------------------------------------------------------------


class MeritNoticeForm(ServiceModelForm):
    class Meta:
        model = MeritNotice
        fields = ["family", "soldier_name", "unit", "merit_kind", "received_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("soldier_name", "unit"):  # blank: the soldier the family's file names
            self.fields[name].required = False
            self.fields[name].help_text = _("不填则取该军属档案中的来源军人")

    def run_service(self):
        return services.merit_notice_receive(acting_user=self.acting_user, **self.cleaned_data)


class DeliveryFilter(FilterSetListFilter):
    title = gettext_lazy("送达情况")
    parameter_name = "delivery"
    filterset_class = MeritNoticeFilter
    options = {value: (label, {"delivery": value}) for value, label in DELIVERY_CHOICES}


@admin.register(MeritNotice)
class MeritNoticeAdmin(ReadOnlyAdmin):
    form = MeritNoticeForm
    list_display = [
        "family", "soldier_name", "unit", "merit_kind", "received_on", "delivery", "delivery_way", "delivered_by",
        "grid", "photo_link",
    ]  # fmt: skip
    list_select_related = ["family", "grid", "delivered_by"]
    list_filter = [DeliveryFilter, "merit_kind", "delivery_way", *AREA_FILTERS]
    search_fields = ["family__name", "soldier_name"]
    raw_id_fields = ["family"]
    date_hierarchy = "received_on"
    actions = ["deliver_at_ceremony", "export_ledger"]

    def get_changeform_initial_data(self, request):
        return {"received_on": timezone.localdate(), **super().get_changeform_initial_data(request)}

    @admin.display(description=gettext_lazy("送达日期"), ordering="delivered_on")
    def delivery(self, notice):
        if notice.delivered_on:
            return notice.delivered_on
        waited = (timezone.localdate() - notice.received_on).days
        text = _("待送达（已%(days)s天）") % {"days": waited}
        if waited > URGENT_AFTER_DAYS:
            return format_html('<span class="overdue" style="color:#a40000">{}</span>', text)
        return text

    @admin.display(description=gettext_lazy("送达照片"))
    def photo_link(self, notice):
        if not notice.photo:
            return ""
        url = reverse("honours:notice_photo", args=[notice.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("查看"))

    @admin.action(description=gettext_lazy("登记送达：今日集中颁发"), permissions=["view"])
    def deliver_at_ceremony(self, request, queryset):
        today = timezone.localdate()
        _each(
            self, request, queryset,
            lambda n: services.merit_notice_deliver(
                notice=n, delivered_on=today, delivery_way=DeliveryWay.CEREMONY, acting_user=request.user
            ),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("导出所选：立功喜报送达台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return notices_ledger_response(queryset, user=request.user, request=request)
