"""One FilterSet for duplicate-pair lists, shared by the API and the admin queue."""

import django_filters
from django.utils.translation import gettext_lazy as _

from merging.models import DuplicatePair, PairStatus


class PairFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PairStatus.choices, label=_("状态"))

    class Meta:
        model = DuplicatePair
        fields = ["status"]
