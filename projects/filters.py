"""One FilterSet per list: the admin's sidebar, the phone and the API filter alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import (
    NeedSource,
    ProjectStatus,
    ServiceCategory,
    ServiceItem,
    ServiceLevel,
    ServiceNeed,
    ServiceProject,
)
from projects.selectors import open_need_q, unplanned_need_q

NEED_STATE_CHOICES = [
    ("unplanned", _("未立项")),
    ("open", _("未交付")),
    ("answered", _("已交付")),
]


class ServiceItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("名称"))

    class Meta:
        model = ServiceItem
        fields = ["q", "level", "category", "active"]


class ServiceNeedFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(choices=NeedSource.choices, label=_("需求来源"))
    state = django_filters.ChoiceFilter(method="filter_state", choices=NEED_STATE_CHOICES, label=_("立项情况"))
    recorded_from = django_filters.DateFilter(field_name="recorded_on", lookup_expr="gte", label=_("登记日期起"))
    recorded_to = django_filters.DateFilter(field_name="recorded_on", lookup_expr="lte", label=_("登记日期止"))

    class Meta:
        model = ServiceNeed
        fields = ["source", "state", "item", "person", "project", "street", "community", "grid"]

    def filter_state(self, queryset, name, value):
        condition = {"unplanned": unplanned_need_q(), "open": open_need_q(), "answered": ~open_need_q()}[value]
        return queryset.filter(condition)


class ServiceProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("项目名称"))
    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label=_("状态"))
    level = django_filters.ChoiceFilter(field_name="item__level", choices=ServiceLevel.choices, label=_("服务层级"))
    category = django_filters.ChoiceFilter(
        field_name="item__category", choices=ServiceCategory.choices, label=_("服务类别")
    )
    proposed_from = django_filters.DateFilter(field_name="proposed_on", lookup_expr="gte", label=_("立项日期起"))
    proposed_to = django_filters.DateFilter(field_name="proposed_on", lookup_expr="lte", label=_("立项日期止"))

    class Meta:
        model = ServiceProject
        fields = ["q", "status", "level", "category", "item", "street", "community", "grid"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__contains=value)) if value else queryset
