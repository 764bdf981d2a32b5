"""One FilterSet for wish lists: the phone list, the admin's photo filter and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wishes.models import DonorKind, MicroWish, WishStatus


class WishFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=WishStatus.choices, label=_("状态"))
    donor_kind = django_filters.ChoiceFilter(choices=DonorKind.choices, label=_("认领方类型"))
    has_photo = django_filters.BooleanFilter(method="filter_photo", label=_("有实现照片"))
    collected_from = django_filters.DateFilter(field_name="collected_on", lookup_expr="gte", label=_("收集日期起"))
    collected_to = django_filters.DateFilter(field_name="collected_on", lookup_expr="lte", label=_("收集日期止"))
    q = django_filters.CharFilter(method="search", label=_("姓名、心愿或认领方"))

    class Meta:
        model = MicroWish
        fields = ["status", "veteran", "street", "community", "grid", "donor_kind"]

    def filter_photo(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(photo="") if value else queryset.filter(photo="")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(veteran__name__contains=value) | Q(title__contains=value) | Q(donor_name__contains=value)
        )
