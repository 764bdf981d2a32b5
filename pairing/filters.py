"""One FilterSet per list: pairs (admin sidebar and API), contacts (API) and the coverage list of
people (admin). The key-group rule is pairing.selectors' EXISTS form of veterans.rules."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pairing.models import ContactWay, CoveragePerson, Pair, PairContact, PartnerKind
from pairing.selectors import any_key_group_q, key_group_exists_q, paired_q
from veterans.filters import IntegerFilter
from veterans.models import Veteran
from veterans.rules import KeyGroup
from veterans.selectors import today

ANY_KEY_GROUP = "any"
KEY_GROUP_CHOICES = [(ANY_KEY_GROUP, _("任一重点群体")), *KeyGroup.labels.items()]


def key_group_people_q(value: str) -> Q:
    """Over Veteran rows: in the key group `value` (or in any of them)."""
    return any_key_group_q(today()) if value == ANY_KEY_GROUP else key_group_exists_q(value, today())


class PairFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("姓名、结对人或企业"))
    partner_kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, label=_("结对方类别"))
    active = django_filters.BooleanFilter(label=_("结对中"))
    key_group = django_filters.ChoiceFilter(choices=KEY_GROUP_CHOICES, method="filter_key_group", label=_("重点群体"))
    veteran = IntegerFilter(field_name="veteran_id", label=_("服务对象"))
    street = IntegerFilter(field_name="street_id", label=_("街道/镇"))
    community = IntegerFilter(field_name="community_id", label=_("社区/村"))
    grid = IntegerFilter(field_name="grid_id", label=_("网格"))
    started_from = django_filters.DateFilter(field_name="started_on", lookup_expr="gte", label=_("结对日期起"))
    started_to = django_filters.DateFilter(field_name="started_on", lookup_expr="lte", label=_("结对日期止"))

    class Meta:
        model = Pair
        fields = ["q", "partner_kind", "active", "key_group", "veteran", "street", "community", "grid"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(veteran__name__contains=value) | Q(partner_name__contains=value) | Q(partner_organisation__contains=value)
        )

    def filter_key_group(self, queryset, name, value):
        people = Veteran.objects.filter(key_group_people_q(value)).values("pk")
        return queryset.filter(veteran_id__in=people)


class PairContactFilter(django_filters.FilterSet):
    pair = IntegerFilter(field_name="pair_id", label=_("结对"))
    veteran = IntegerFilter(field_name="pair__veteran_id", label=_("服务对象"))
    way = django_filters.ChoiceFilter(choices=ContactWay.choices, label=_("方式"))
    partner_kind = django_filters.ChoiceFilter(
        field_name="pair__partner_kind", choices=PartnerKind.choices, label=_("结对方类别")
    )
    contacted_from = django_filters.DateFilter(field_name="contacted_on", lookup_expr="gte", label=_("走访日期起"))
    contacted_to = django_filters.DateFilter(field_name="contacted_on", lookup_expr="lte", label=_("走访日期止"))

    class Meta:
        model = PairContact
        fields = ["pair", "veteran", "way", "partner_kind"]


class CoverageFilter(django_filters.FilterSet):
    paired = django_filters.BooleanFilter(method="filter_paired", label=_("已结对"))
    key_group = django_filters.ChoiceFilter(choices=KEY_GROUP_CHOICES, method="filter_key_group", label=_("重点群体"))

    class Meta:
        model = CoveragePerson
        fields = ["paired", "key_group"]

    def filter_paired(self, queryset, name, value):
        return queryset.filter(paired_q()) if value else queryset.exclude(paired_q())

    def filter_key_group(self, queryset, name, value):
        return queryset.filter(key_group_people_q(value))
