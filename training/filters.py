"""One FilterSet per list of skills training: the admin, the ledger export and the API filter
the same way. `trained_year` and `certified_year` choose one row per person (their latest
qualifying enrolment): the rows the board's figures count."""

import django_filters
from django.utils.translation import gettext_lazy as _

from training.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from training.selectors import certified_in_year_q, one_row_per_person, trained_in_year_q


class EnrolmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="veteran__name", lookup_expr="contains", label=_("姓名"))
    status = django_filters.MultipleChoiceFilter(choices=EnrolmentStatus.choices, label=_("状态"))
    trained_year = django_filters.NumberFilter(method="filter_trained", label=_("参训年度（每人一行）"))
    certified_year = django_filters.NumberFilter(method="filter_certified", label=_("取证年度（每人一行）"))
    certified = django_filters.BooleanFilter(method="filter_certified_any", label=_("已取得证书"))

    class Meta:
        model = Enrolment
        fields = ["q", "status", "course", "veteran", "street", "community", "grid", "trained_year", "certified_year"]

    def filter_trained(self, queryset, name, value):
        return queryset.filter(pk__in=one_row_per_person(trained_in_year_q(int(value))))

    def filter_certified(self, queryset, name, value):
        return queryset.filter(pk__in=one_row_per_person(certified_in_year_q(int(value))))

    def filter_certified_any(self, queryset, name, value):
        certified = queryset.exclude(certificate_number="")
        return certified if value else queryset.filter(certificate_number="")


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("培训项目或工种"))
    status = django_filters.MultipleChoiceFilter(choices=CourseStatus.choices, label=_("状态"))
    starts_from = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte", label=_("开班日期起"))
    starts_to = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte", label=_("开班日期止"))

    class Meta:
        model = Course
        fields = ["q", "status", "provider", "street", "starts_from", "starts_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(title__contains=value) | queryset.filter(trade__contains=value)
