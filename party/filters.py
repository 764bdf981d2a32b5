"""FilterSets of the party API lists (the admin's sidebar filters use the same rules from
party.selectors)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from party.models import FollowUp, FollowUpStatus, Membership, OrganisationKind, PartyOrganisation
from party.selectors import overdue_q


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("名称"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("组织类型"))

    class Meta:
        model = PartyOrganisation
        fields = ["q", "kind", "active", "street", "community", "grid"]


class MembershipFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", label=_("在册"))

    class Meta:
        model = Membership
        fields = ["person", "organisation", "active"]


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label=_("状态"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("跟进超过30天未纳入"))

    class Meta:
        model = FollowUp
        fields = ["person", "status", "assigned_to", "overdue", "street", "community", "grid"]

    def filter_overdue(self, queryset, name, value):
        condition = overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
