"""The station's desk for service projects: the catalogue, needs, projects (proposed here, then
reviewed, delivered and rated on the step pages), and the read-only lists the dashboard's
figures link to (deliveries, evaluations, people served)."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import money_column, status_badge
from core.admin_filters import FilterSetListFilter
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from grids.admin_scoping import ScopedAdminMixin
from projects import admin_steps
from projects.exports import area_name, projects_ledger_response
from projects.filters import NEED_STATE_CHOICES, ServiceNeedFilter
from projects.models import (
    ServedPerson,
    ServiceDelivery,
    ServiceEvaluation,
    ServiceItem,
    ServiceNeed,
    ServiceProject,
)
from projects.selectors import IN_TIME_DAYS, SATISFIED_FROM, needs_for, served_in_year_q, unplanned_need_q
from projects.services import item_save, need_record, project_propose
from veterans import admin_filters as area_filters

AREA_FILTERS = [
    area_filters.DistrictFilter,
    area_filters.StreetFilter,
    area_filters.CommunityFilter,
    area_filters.GridFilter,
]
ITEM_FIELDS = ["name", "level", "category", "description", "active"]


class ReadOnlyAdminMixin:
    """Rows written only by the services (through the project's steps)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemForm(ServiceModelForm):
    class Meta:
        model = ServiceItem
        fields = ITEM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_pk = self.instance.pk  # the dry run gives the instance a pk; remember the truth

    def run_service(self):
        item = ServiceItem(pk=self.original_pk, **{name: self.cleaned_data[name] for name in ITEM_FIELDS})
        return item_save(item=item, acting_user=self.acting_user)


@admin.register(ServiceItem)
class ServiceItemAdmin(ServiceFormAdminMixin, admin.ModelAdmin):
    """The three-level catalogue (区县/镇街/村社), shared by every area."""

    form = ItemForm
    list_display = ["name", "level", "category", "active"]
    list_filter = ["level", "category", "active"]
    search_fields = ["name"]
    change_list_template = "projects/admin/item_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="projects_serviceitem_import"), *super().get_urls()]

    def import_view(self, request):
        return admin_steps.import_page(self, request)

    def has_delete_permission(self, request, obj=None):
        return False  # projects keep their item; retire one by unticking 启用


class NeedForm(ServiceModelForm):
    class Meta:
        model = ServiceNeed
        fields = ["person", "item", "description", "source", "appeal", "recorded_on"]

    def run_service(self):
        return need_record(acting_user=self.acting_user, **self.cleaned_data)


class NeedStateFilter(FilterSetListFilter):
    title = gettext_lazy("立项情况")
    parameter_name = "state"
    filterset_class = ServiceNeedFilter
    options = {value: (label, {"state": value}) for value, label in NEED_STATE_CHOICES}


@admin.register(ServiceNeed)
class ServiceNeedAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = NeedForm
    list_display = ["person", "description", "item", "source", "recorded_on", "project", "grid"]
    list_select_related = ["person", "item", "project", "grid"]
    list_filter = ["source", NeedStateFilter, "item__level", *AREA_FILTERS]
    search_fields = ["person__name", "description"]
    raw_id_fields = ["person", "appeal"]
    date_hierarchy = "recorded_on"
    actions = ["propose_project"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ServiceNeed._meta.fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("为所选需求立项"), permissions=["view"])
    def propose_project(self, request, queryset):
        chosen = queryset.filter(unplanned_need_q()).values_list("pk", flat=True)
        ids = ",".join(str(pk) for pk in chosen)
        return redirect(f"{reverse('admin:projects_serviceproject_add')}?needs={ids}")


class ProjectForm(ServiceModelForm):
    needs = forms.ModelMultipleChoiceField(
        label=gettext_lazy("服务需求"),
        queryset=ServiceNeed.objects.none(),
        required=False,
        help_text=gettext_lazy("所选需求的服务对象一并列入"),
    )

    class Meta:
        model = ServiceProject
        fields = ["title", "item", "description", "people", "proposed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "needs" in self.fields:  # the add page (a project's own page is read-only)
            unplanned = needs_for(user=self.acting_user).filter(unplanned_need_q()).select_related("person")
            self.fields["needs"].queryset = unplanned
            self.fields["needs"].label_from_instance = lambda need: f"{need.person.name}：{need.description[:30]}"
        if "people" in self.fields:
            self.fields["people"].required = False

    def run_service(self):
        data = dict(self.cleaned_data)
        data["people"], data["needs"] = list(data.get("people") or []), list(data.get("needs") or [])
        return project_propose(acting_user=self.acting_user, **data)


class NeedInline(admin.TabularInline):
    model = ServiceNeed
    fk_name = "project"
    extra = 0
    fields = ["person", "description", "source", "recorded_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryInline(NeedInline):
    """Who was served, when, how long it took, and each one's rating."""

    model = ServiceDelivery
    fields = ["person", "delivered_on", "days_taken", "satisfaction", "comment", "evaluated_on"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "evaluation")

    @admin.display(description=gettext_lazy("满意度"))
    def satisfaction(self, delivery):
        return getattr(getattr(delivery, "evaluation", None), "satisfaction", "") or _("未评价")

    @admin.display(description=gettext_lazy("评价意见"))
    def comment(self, delivery):
        return getattr(getattr(delivery, "evaluation", None), "comment", "")

    @admin.display(description=gettext_lazy("评价日期"))
    def evaluated_on(self, delivery):
        return getattr(getattr(delivery, "evaluation", None), "evaluated_on", "")


COST = money_column(ServiceProject, "cost")


@admin.register(ServiceProject)
class ServiceProjectAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """Proposed here; reviewed, delivered and rated on the step pages (links in 办理)."""

    form = ProjectForm
    list_display = [
        "number",
        "title",
        "item",
        "area",
        "people_count",
        "proposed_on",
        status_badge(ServiceProject),
        "delivered_on",
        COST,
        "steps",
    ]
    list_select_related = ["item", "district", "street", "community", "grid"]
    list_filter = ["status", "item__level", "item__category", *AREA_FILTERS]
    search_fields = ["title"]
    raw_id_fields = ["people"]
    date_hierarchy = "proposed_on"
    actions = ["export_ledger"]

    def get_urls(self):
        step = path(
            "<int:pk>/step/<slug:step>/",
            self.admin_site.admin_view(self.step_view),
            name="projects_serviceproject_step",
        )
        return [step, *super().get_urls()]

    def step_view(self, request, pk: int, step: str):
        return admin_steps.step_page(self, request, pk, step)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_total=Count("people", distinct=True))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["title", "item", "description", "needs", "people", "proposed_on"]
        return [
            "steps", "title", "item", "description", "area", "status", "proposer", "proposed_on", "reviewer",
            "reviewed_on", "review_note", "delivered_on", "delivered_by", COST,
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if isinstance(initial.get("needs"), str):
            initial["needs"] = [pk for pk in initial["needs"].split(",") if pk.isdigit()]
        return initial

    def get_inlines(self, request, obj):
        return [NeedInline, DeliveryInline] if obj else []

    def has_change_permission(self, request, obj=None):
        return False  # steps are taken on the step pages, through the services

    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:projects_serviceproject_change", obj.pk)

    @admin.display(description=gettext_lazy("编号"), ordering="pk")
    def number(self, project):
        return project.pk

    @admin.display(description=gettext_lazy("服务区域"))
    def area(self, project):
        return area_name(project)

    @admin.display(description=gettext_lazy("人数"), ordering="people_total")
    def people_count(self, project):
        return getattr(project, "people_total", None) or project.people.count()

    @admin.display(description=gettext_lazy("办理"))
    def steps(self, project):
        links = [
            (reverse("admin:projects_serviceproject_step", args=[project.pk, name]), label)
            for name, label in admin_steps.offered_steps(project)
        ]
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links)

    @admin.action(description=gettext_lazy("导出所选：服务项目台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return projects_ledger_response(queryset, user=request.user, request=request)


class InTimeFilter(admin.SimpleListFilter):
    title = gettext_lazy("时效")
    parameter_name = "in_time"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("%(days)s天内交付") % {"days": IN_TIME_DAYS}),
            ("no", _("超过%(days)s天") % {"days": IN_TIME_DAYS}),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(days_taken__lte=IN_TIME_DAYS)
        if self.value() == "no":
            return queryset.filter(days_taken__gt=IN_TIME_DAYS)
        return queryset


@admin.register(ServiceDelivery)
class ServiceDeliveryAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "project", "delivered_on", "days_taken", "grid"]
    list_select_related = ["person", "project", "grid"]
    list_filter = [InTimeFilter, *AREA_FILTERS]
    search_fields = ["person__name", "project__title"]
    date_hierarchy = "delivered_on"


class SatisfiedFilter(admin.SimpleListFilter):
    title = gettext_lazy("满意度")
    parameter_name = "satisfied"

    def lookups(self, request, model_admin):
        return [("yes", _("满意（4分及以上）")), ("no", _("一般或不满意"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(satisfaction__gte=SATISFIED_FROM)
        if self.value() == "no":
            return queryset.filter(satisfaction__lt=SATISFIED_FROM)
        return queryset


@admin.register(ServiceEvaluation)
class ServiceEvaluationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "project", "satisfaction", "comment", "evaluated_on", "grid"]
    list_select_related = ["person", "delivery__project", "grid"]
    list_filter = [SatisfiedFilter, "satisfaction", *AREA_FILTERS]
    search_fields = ["person__name", "comment"]
    date_hierarchy = "evaluated_on"

    @admin.display(description=gettext_lazy("服务项目"))
    def project(self, evaluation):
        return evaluation.delivery.project


class ServedYearFilter(admin.SimpleListFilter):
    title = gettext_lazy("服务年度")
    parameter_name = "served_year"

    def lookups(self, request, model_admin):
        from django.utils import timezone

        year = timezone.localdate().year
        return [(str(y), str(y)) for y in range(year, year - 3, -1)]

    def queryset(self, request, queryset):
        if self.value() and str(self.value()).isdigit():
            return queryset.filter(served_in_year_q(int(self.value())))
        return queryset


@admin.register(ServedPerson)
class ServedPersonAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Everyone who has had a service delivered, once each (the 服务覆盖 figure's list)."""

    list_display = ["name", "grid", "life_status", "services"]
    list_select_related = ["grid"]
    list_filter = [ServedYearFilter, "life_status", *AREA_FILTERS]
    search_fields = ["name"]
    fields = ["name", "grid", "life_status"]

    def get_queryset(self, request):
        served = ServiceDelivery.objects.values("person_id")
        queryset = super().get_queryset(request).filter(pk__in=served, removed_at__isnull=True)
        return queryset.annotate(service_total=Count("service_deliveries"))

    @admin.display(description=gettext_lazy("服务次数"), ordering="service_total")
    def services(self, person):
        return person.service_total

    def view_on_site(self, obj):
        return None
