"""Sidebar filters of the party lists; each is the rule a dashboard figure or a to-do counts by,
so a number and the list it links to choose the same rows (party.selectors)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from party.selectors import closed_in_year_q, outside_q, overdue_q, present_in_year_q
from veterans import admin_filters as area_filters


class AssignedFilter(admin.SimpleListFilter):
    title = _("责任人")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("我负责的")), ("nobody", _("未指定"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to_id=request.user.pk)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("超期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("跟进超过30天未纳入"))]

    def queryset(self, request, queryset):
        return queryset.filter(overdue_q(timezone.localdate())) if self.value() == "yes" else queryset


class _YearFilter(admin.SimpleListFilter):
    """?<parameter>=2026: the rows of that year by the figure's rule."""

    condition = None

    def lookups(self, request, model_admin):
        year = timezone.localdate().year
        return [(str(y), str(y)) for y in range(year, year - 5, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(type(self).condition(int(value))) if value and value.isdigit() else queryset


class ClosedYearFilter(_YearFilter):
    title = _("纳入年度")
    parameter_name = "closed_year"
    condition = staticmethod(closed_in_year_q)


class PresentYearFilter(_YearFilter):
    title = _("出席年度")
    parameter_name = "present_year"
    condition = staticmethod(present_in_year_q)


class OutsideFilter(admin.SimpleListFilter):
    title = _("组织管理")
    parameter_name = "outside"

    def lookups(self, request, model_admin):
        return [("yes", _("口袋、流动党员尚未纳入组织"))]

    def queryset(self, request, queryset):
        return queryset.filter(outside_q()) if self.value() == "yes" else queryset


def _of_person(area_filter):
    """The area filter on the member's keys (rows that carry no area keys of their own)."""

    class PersonArea(area_filter):
        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{f"person__{self.parameter_name}_id": self.value()})
            return queryset

    PersonArea.__name__ = f"Person{area_filter.__name__}"
    return PersonArea


AREA_FILTERS = [
    area_filters.DistrictFilter,
    area_filters.StreetFilter,
    area_filters.CommunityFilter,
    area_filters.GridFilter,
]
PERSON_AREA_FILTERS = [_of_person(area_filter) for area_filter in AREA_FILTERS]
