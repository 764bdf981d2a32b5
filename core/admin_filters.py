"""Admin sidebar filters that choose rows through an app's FilterSet, so the admin, the desk and
phone pages and the API filter the same way (one rule, one place: the app's filters.py)."""

from django.contrib import admin


class FilterSetListFilter(admin.SimpleListFilter):
    """One sidebar choice → the FilterSet parameters it stands for.

    `options` maps each value of the admin's parameter (kept as links and bookmarks already use
    it) to its label and to the FilterSet query that selects the rows, e.g.
    `{"yes": (_("有照片"), {"has_photo": "true"})}`. An unknown value filters nothing, as the
    admin's own simple filters do."""

    filterset_class = None
    options: dict = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _params) in self.options.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.options:
            return queryset
        _label, params = self.options[self.value()]
        filterset = self.filterset_class(params, queryset=queryset, request=request)
        # The parameters are ours, not the user's: an invalid set is a programming error.
        if not filterset.is_valid():
            raise ValueError(filterset.errors)
        return filterset.qs
