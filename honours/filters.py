"""One FilterSet per list, shared by the admin's sidebar, the phone and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from honours.models import (
    MeritKind,
    MeritNotice,
    Nomination,
    NominationStatus,
    Selection,
    SelectionKind,
    SelectionLevel,
    SelectionStatus,
)
from honours.selectors import urgent_q, waiting_q

DELIVERY_CHOICES = [
    ("waiting", _("喜报待送达")),
    ("urgent", _("超过15天未送达")),  # selectors.URGENT_AFTER_DAYS
    ("delivered", _("已送达")),
]


class SelectionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SelectionKind.choices, label=_("评选类别"))
    level = django_filters.ChoiceFilter(choices=SelectionLevel.choices, label=_("评选级别"))
    status = django_filters.ChoiceFilter(choices=SelectionStatus.choices, label=_("状态"))

    class Meta:
        model = Selection
        fields = ["kind", "level", "status", "year"]


class NominationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=NominationStatus.choices, label=_("结果"))
    year = django_filters.NumberFilter(field_name="selection__year", label=_("年度"))
    q = django_filters.CharFilter(method="search", label=_("姓名"))

    class Meta:
        model = Nomination
        fields = ["selection", "status", "veteran", "street", "community", "grid"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(veteran__name__contains=value) if value else queryset


class MeritNoticeFilter(django_filters.FilterSet):
    delivery = django_filters.ChoiceFilter(method="filter_delivery", choices=DELIVERY_CHOICES, label=_("送达情况"))
    merit_kind = django_filters.ChoiceFilter(choices=MeritKind.choices, label=_("立功受奖类别"))
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label=_("收到日期起"))
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("收到日期止"))
    q = django_filters.CharFilter(method="search", label=_("军属或军人姓名"))

    class Meta:
        model = MeritNotice
        fields = ["delivery", "merit_kind", "family", "street", "community", "grid"]

    def filter_delivery(self, queryset, name, value):
        condition = {"waiting": waiting_q(), "urgent": urgent_q(timezone.localdate()), "delivered": ~waiting_q()}
        return queryset.filter(condition[value])

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(family__name__contains=value) | Q(soldier_name__contains=value))
