"""One FilterSet per list of the registry: the admin sidebar, the ledger export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from employment.models import EmploymentProfile, EmploymentStatus, JobFair, JobReferral, ReferralResult
from employment.selectors import live_q, placed_in_year_q


def _by_id(field: str, label: str) -> django_filters.NumberFilter:
    """An id filter that lists no choices: a choice list (the browsable API's filter form) would
    name every person, employer or area of every district."""
    return django_filters.NumberFilter(
        field_name=f"{field}_id", label=label, min_value=1, max_value=2**63 - 1, decimal_places=0
    )


class ProfileFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(field_name="person__name", lookup_expr="contains", label=_("姓名"))
    status = django_filters.MultipleChoiceFilter(choices=EmploymentStatus.choices, label=_("就业状态"))
    placed_in = django_filters.NumberFilter(
        method="filter_placed_in", label=_("该年实现就业"), min_value=1949, max_value=2100, decimal_places=0
    )
    live = django_filters.BooleanFilter(method="filter_live", label=_("健在且档案有效"))
    street = _by_id("street", _("街道/镇"))
    community = _by_id("community", _("社区/村"))
    grid = _by_id("grid", _("网格"))

    class Meta:
        model = EmploymentProfile
        fields = ["name", "status", "wants_job", "wants_training", "wants_business", "street", "community", "grid"]

    def filter_placed_in(self, queryset, name, value):
        return queryset.filter(placed_in_year_q(int(value))) if value else queryset

    def filter_live(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(live_q()) if value else queryset.exclude(live_q())


class ReferralFilter(django_filters.FilterSet):
    result = django_filters.MultipleChoiceFilter(choices=ReferralResult.choices, label=_("推荐结果"))
    referred_from = django_filters.DateFilter(field_name="referred_on", lookup_expr="gte", label=_("推荐日期起"))
    referred_to = django_filters.DateFilter(field_name="referred_on", lookup_expr="lte", label=_("推荐日期止"))
    person = _by_id("person", _("姓名"))
    employer = _by_id("employer", _("企业"))
    street = _by_id("street", _("街道/镇"))
    community = _by_id("community", _("社区/村"))
    grid = _by_id("grid", _("网格"))

    class Meta:
        model = JobReferral
        fields = ["result", "person", "employer", "street", "community", "grid"]


class FairFilter(django_filters.FilterSet):
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("举办日期起"))
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("举办日期止"))
    district = _by_id("district", _("主办区/县"))

    class Meta:
        model = JobFair
        fields = ["district"]
