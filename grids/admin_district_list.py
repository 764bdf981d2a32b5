"""The admin of a district's reference list: partner employers, training providers, the service
alliance's teams and providers. Rows of such a list belong to a district (not to a grid); the
people's records of the apps above point at them."""

from django.contrib import admin

from core.admin_forms import ServiceFormAdminMixin
from grids.admin_scoping import ScopedAdminMixin
from grids.models import District, Grid
from grids.scoping import scope_queryset


class DistrictListAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """The list and the district choices are scoped like any admin's (ScopedAdminMixin); every
    save goes through the form's service with the user as the acting user, which checks who may
    keep which district's list and writes the audit row (ServiceFormAdminMixin).

    Rows are never deleted: the records above keep pointing at them (a referral at its employer
    or provider, a course at its provider); one no longer used is unticked (合作中, 在册).

    `street_stations_pick_their_district`: by default a row's district is chosen among the
    districts in the user's scope, i.e. only a district's own staff (or the city) keep the list,
    as the services of training and referrals require. Set it where the service lets a street's
    or community's staff add rows of the district they work in (employment's _require_district)."""

    street_stations_pick_their_district = False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district" and self.street_stations_pick_their_district:
            worked_in = scope_queryset(request.user, Grid.objects.all()).values("district_id")
            kwargs["queryset"] = District.objects.filter(pk__in=worked_in)
            # Past ScopedAdminMixin, which would narrow the choices to the user's own district scope.
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
