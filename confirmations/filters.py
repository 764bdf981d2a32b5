"""One FilterSet for confirmation lists: the admin export and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confirmations.models import Confirmation
from confirmations.selectors import overdue_q, suspended_q

STATE_CHOICES = [
    ("confirmed", _("已确认")),
    ("pending", _("待确认（未逾期）")),
    ("overdue", _("逾期未确认")),
    ("suspended", _("补助已暂停")),
]


def state_q(value: str):
    from django.db.models import Q

    today = timezone.localdate()
    return {
        "confirmed": Q(status="confirmed"),
        "pending": Q(status="pending") & ~overdue_q(today),
        "overdue": overdue_q(today),
        "suspended": suspended_q(),
    }[value]


class ConfirmationFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    state = django_filters.ChoiceFilter(method="filter_state", choices=STATE_CHOICES, label=_("状态"))

    class Meta:
        model = Confirmation
        fields = ["year", "state", "method", "veteran", "street", "community", "grid"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state_q(value))
