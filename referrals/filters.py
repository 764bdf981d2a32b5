"""One FilterSet for referral lists: the admin (sidebar, export, board links) and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from referrals.models import Provider, ProviderKind, Referral, ReferralStatus, TeamKind, Volunteer, VolunteerTeam
from referrals.selectors import closed_in_year_q, due_today_q, open_q, overdue_q, waiting_q

STAGE_CHOICES = [
    ("open", _("未办结")),
    ("waiting", _("待机构接收")),
    ("due_today", _("今日应跟进")),
    ("overdue", _("跟进已逾期")),
    ("closed_year", _("本年办结")),
]


class ReferralFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("姓名、需求或机构"))
    status = django_filters.MultipleChoiceFilter(choices=ReferralStatus.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(field_name="provider__kind", choices=ProviderKind.choices, label=_("机构类型"))
    stage = django_filters.ChoiceFilter(method="filter_stage", choices=STAGE_CHOICES, label=_("跟进"))
    referred_from = django_filters.DateFilter(field_name="referred_on", lookup_expr="gte", label=_("转介日期起"))
    referred_to = django_filters.DateFilter(field_name="referred_on", lookup_expr="lte", label=_("转介日期止"))

    class Meta:
        model = Referral
        fields = ["q", "status", "provider", "kind", "stage", "veteran", "street", "community", "grid"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(veteran__name__contains=value) | Q(need__contains=value) | Q(provider__name__contains=value)
        )

    def filter_stage(self, queryset, name, value):
        today = timezone.localdate()
        condition = {
            "open": open_q(),
            "waiting": waiting_q(),
            "due_today": due_today_q(today),
            "overdue": overdue_q(today),
            "closed_year": closed_in_year_q(today.year),
        }[value]
        return queryset.filter(condition)


class ProviderFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ProviderKind.choices, label=_("机构类型"))

    class Meta:
        model = Provider
        fields = ["kind", "active", "district"]


class TeamFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices, label=_("服务类型"))

    class Meta:
        model = VolunteerTeam
        fields = ["kind", "active", "district"]


class VolunteerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("姓名或专长"))

    class Meta:
        model = Volunteer
        fields = ["q", "team", "active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(skills__contains=value)) if value else queryset
