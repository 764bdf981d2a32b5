"""One FilterSet for the transfer ledger, shared by the admin list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from transfers.models import Transfer, TransferStatus
from transfers.selectors import direction_q


class Direction:
    IN = "in"
    OUT = "out"
    CHOICES = [(IN, _("迁入")), (OUT, _("迁出"))]


class TransferFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=TransferStatus.choices, label=_("状态"))
    direction = django_filters.ChoiceFilter(choices=Direction.CHOICES, method="filter_direction", label=_("方向"))
    started_from = django_filters.DateFilter(field_name="started_at", lookup_expr="date__gte", label=_("发起日期起"))
    started_to = django_filters.DateFilter(field_name="started_at", lookup_expr="date__lte", label=_("发起日期止"))
    q = django_filters.CharFilter(field_name="veteran__name", lookup_expr="contains", label=_("姓名"))

    class Meta:
        model = Transfer
        fields = ["status", "direction", "veteran"]

    def filter_direction(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(direction_q(self.request.user, value))
