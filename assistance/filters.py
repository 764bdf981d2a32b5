"""One FilterSet per list: the approval queue, the phone case list and the API share them."""

import django_filters
from django.utils.translation import gettext_lazy as _

from assistance.models import CaseStatus, EntryKind, FundEntry, HardshipCase


class CaseFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices, label=_("状态"))
    reported_from = django_filters.DateFilter(field_name="reported_on", lookup_expr="gte", label=_("获知日期起"))
    reported_to = django_filters.DateFilter(field_name="reported_on", lookup_expr="lte", label=_("获知日期止"))
    name = django_filters.CharFilter(field_name="veteran__name", lookup_expr="contains", label=_("姓名"))
    q = django_filters.CharFilter(field_name="veteran__name", lookup_expr="contains", label=_("按姓名搜索"))

    class Meta:
        model = HardshipCase
        fields = ["status", "case_type", "veteran", "street", "community", "grid", "special", "fund"]


class EntryFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=EntryKind.choices, label=_("类型"))
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("截止日期"))

    class Meta:
        model = FundEntry
        fields = ["kind", "fund", "donor_kind", "receipt_no"]
