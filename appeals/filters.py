"""One FilterSet for appeal lists: the desk page, the admin export and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal, AppealKind, AppealStatus, Channel
from appeals.selectors import due_soon_q, due_within_working_days_q, open_q, overdue_q

URGENCY_CHOICES = [
    ("open", _("未办结")),
    ("overdue", _("已超期")),
    ("due_soon", _("即将到期")),
    ("due_working_days", _("3个工作日内到期")),
]


class AppealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("姓名或事项"))
    status = django_filters.MultipleChoiceFilter(choices=AppealStatus.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(field_name="category__kind", choices=AppealKind.choices, label=_("类型"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("受理渠道"))
    urgency = django_filters.ChoiceFilter(method="filter_urgency", choices=URGENCY_CHOICES, label=_("时限"))
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label=_("受理日期起"))
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("受理日期止"))

    class Meta:
        model = Appeal
        fields = ["q", "status", "category", "kind", "channel", "urgency", "veteran", "street", "community", "grid"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(veteran__name__contains=value) | Q(subject__contains=value)) if value else queryset

    def filter_urgency(self, queryset, name, value):
        today = timezone.localdate()
        condition = {
            "open": open_q(),
            "overdue": overdue_q(today),
            "due_soon": due_soon_q(today),
            "due_working_days": due_within_working_days_q(today),
        }[value]
        return queryset.filter(condition)
