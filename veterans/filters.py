"""One FilterSet for the veteran list: the API and the ledger downloads share it."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veterans.models import LifeStatus, PartyRelation, PersonKind, PriorityCategory, Veteran, VeteranType
from veterans.rules import KeyGroup, key_group_q
from veterans.selectors import search_veterans, today

HARDSHIP = {
    "minimum_living_allowance": Q(minimum_living_allowance=True),
    "extreme_poverty": Q(extreme_poverty=True),
    "registered_poor": Q(registered_poor=True),
    "any": Q(minimum_living_allowance=True) | Q(extreme_poverty=True) | Q(registered_poor=True),
}


class IntegerFilter(django_filters.NumberFilter):
    """Ids and percentages are whole numbers the database can hold: `1.5`, `-2e247` or thirty
    nines are refused with a 400 rather than sent to it (SQLite raised OverflowError: a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class VeteranFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("搜索"))
    street = IntegerFilter(field_name="street_id", label=_("街道/镇"))
    community = IntegerFilter(field_name="community_id", label=_("社区/村"))
    grid = IntegerFilter(field_name="grid_id", label=_("网格"))
    person_kind = django_filters.ChoiceFilter(choices=PersonKind.choices, label=_("人员类别"))
    veteran_type = django_filters.ChoiceFilter(choices=VeteranType.choices, label=_("退役类别"))
    category = django_filters.ChoiceFilter(
        choices=PriorityCategory.choices, method="filter_category", label=_("优抚类别")
    )
    party_relation = django_filters.ChoiceFilter(choices=PartyRelation.choices, label=_("组织关系"))
    is_party_member = django_filters.BooleanFilter(label=_("中共党员"))
    hardship = django_filters.ChoiceFilter(
        choices=[(key, key) for key in HARDSHIP], method="filter_hardship", label=_("困难情况")
    )
    key_group = django_filters.ChoiceFilter(
        choices=list(KeyGroup.labels.items()), method="filter_key_group", label=_("重点群体")
    )
    plaque_hung = django_filters.BooleanFilter(
        field_name="glory_plaque_hung_on", lookup_expr="isnull", exclude=True, label=_("光荣牌已悬挂")
    )
    complete = django_filters.BooleanFilter(method="filter_complete", label=_("信息完整"))
    completeness_below = IntegerFilter(field_name="completeness", lookup_expr="lt", label=_("完整度低于"))
    life_status = django_filters.ChoiceFilter(choices=LifeStatus.choices, label=_("状态"))

    class Meta:
        model = Veteran
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return search_veterans(queryset, value)

    def filter_category(self, queryset, name, value):
        return queryset.filter(priority_care__category=value)

    def filter_hardship(self, queryset, name, value):
        return queryset.filter(HARDSHIP[value])

    def filter_key_group(self, queryset, name, value):
        matched = queryset.filter(key_group_q(value, today()))
        if value in (KeyGroup.MAJOR_CONTRIBUTION, KeyGroup.MERIT_AWARDS):
            matched = matched.distinct()
        return matched

    def filter_complete(self, queryset, name, value):
        return queryset.filter(completeness=100) if value else queryset.filter(completeness__lt=100)
