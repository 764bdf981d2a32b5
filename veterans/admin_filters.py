"""Sidebar filters for the veteran ledger. Area choices come from the scoped area tables,
never from a DISTINCT over a million veterans."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_filters import FilterSetListFilter
from grids.models import Community, District, Grid, Street
from grids.scoping import scope_queryset
from veterans.filters import VeteranFilterSet
from veterans.models import PriorityCategory
from veterans.rules import COMPLETENESS_LINE, KeyGroup
from veterans.visit_schedule import covered_q, overdue_q


class _AreaFilter(admin.SimpleListFilter):
    model = None
    parent_param: str | None = None
    parent_field: str | None = None
    max_choices = 200

    def lookups(self, request, model_admin):
        areas = scope_queryset(request.user, self.model.objects.all())
        if self.parent_param:
            parent = request.GET.get(self.parent_param)
            if not parent:
                if self.value():  # a link straight to one area (from the dashboard) still filters
                    areas = areas.filter(pk=self.value()) if str(self.value()).isdigit() else areas.none()
                    return [(str(pk), name) for pk, name in areas.values_list("pk", "name")]
                return []  # choose the level above first: keeps the list short
            areas = areas.filter(**{f"{self.parent_field}_id": parent})
        return [(str(pk), name) for pk, name in areas.values_list("pk", "name")[: self.max_choices]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.parameter_name}_id": self.value()})
        return queryset


class DistrictFilter(_AreaFilter):
    title = _("区/县")
    parameter_name = "district"
    model = District


class StreetFilter(_AreaFilter):
    title = _("街道/镇")
    parameter_name = "street"
    model = Street


class CommunityFilter(_AreaFilter):
    title = _("社区/村")
    parameter_name = "community"
    model = Community
    parent_param = "street"
    parent_field = "street"


class GridFilter(_AreaFilter):
    title = _("网格")
    parameter_name = "grid"
    model = Grid
    parent_param = "community"
    parent_field = "community"


class PriorityCategoryFilter(admin.SimpleListFilter):
    title = _("优抚类别")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [*PriorityCategory.choices, ("any", _("任一优抚类别"))]

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.filter(priority_care__isnull=False).distinct()
        if self.value() in PriorityCategory.values:
            return queryset.filter(priority_care__category=self.value())
        return queryset


# The four below choose rows through VeteranFilterSet: the admin, the ledger download and the
# API filter the same way. Their parameter names and values stay those of existing links.


class HardshipFilter(FilterSetListFilter):
    title = _("困难情况")
    parameter_name = "hardship"
    filterset_class = VeteranFilterSet
    options = {
        key: (label, {"hardship": key})
        for key, label in (
            ("minimum_living_allowance", _("低保")),
            ("extreme_poverty", _("特困（五保）")),
            ("registered_poor", _("建档立卡贫困户")),
            ("any", _("任一困难情况")),
        )
    }


class KeyGroupFilter(FilterSetListFilter):
    title = _("重点群体")
    parameter_name = "key_group"
    filterset_class = VeteranFilterSet
    options = {value: (label, {"key_group": value}) for value, label in KeyGroup.labels.items()}


class PlaqueFilter(FilterSetListFilter):
    title = _("光荣牌")
    parameter_name = "plaque"
    filterset_class = VeteranFilterSet
    options = {
        "hung": (_("已悬挂"), {"plaque_hung": "true"}),
        "not_hung": (_("未悬挂"), {"plaque_hung": "false"}),
    }


class CompletenessFilter(FilterSetListFilter):
    title = _("信息完整度")
    parameter_name = "completeness"
    filterset_class = VeteranFilterSet
    options = {
        "complete": (_("完整"), {"complete": "true"}),
        "incomplete": (_("不完整"), {"complete": "false"}),
        "low": (_("低于60%"), {"completeness_below": str(COMPLETENESS_LINE)}),
    }


class RemovedFilter(admin.SimpleListFilter):
    title = _("档案状态")
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("yes", _("已注销"))]

    def queryset(self, request, queryset):
        # Removed records are hidden unless asked for; the admin's base queryset includes them.
        if self.value() == "yes":
            return queryset.filter(removed_at__isnull=False)
        return queryset.filter(removed_at__isnull=True)


class VisitStatusFilter(admin.SimpleListFilter):
    title = _("走访情况")
    parameter_name = "visit"

    def lookups(self, request, model_admin):
        return [("overdue", _("逾期未访")), ("covered", _("按期走访"))]

    def queryset(self, request, queryset):
        rules = {"overdue": overdue_q, "covered": covered_q}
        if self.value() in rules:
            return queryset.filter(rules[self.value()](timezone.localdate()))
        return queryset
