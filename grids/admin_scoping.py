"""Admin glue for the scoping function: lists and choices show only what the user may see."""

from django.core.exceptions import ImproperlyConfigured

from grids.scoping import scope_lookups_for, scope_queryset


def _scopable(model) -> bool:
    try:
        scope_lookups_for(model)
    except ImproperlyConfigured:
        return False
    return True


class ScopedAdminMixin:
    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if _scopable(db_field.related_model):
            kwargs["queryset"] = scope_queryset(request.user, db_field.related_model._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if _scopable(db_field.related_model):
            kwargs["queryset"] = scope_queryset(request.user, db_field.related_model._default_manager.all())
        return super().formfield_for_manytomany(db_field, request, **kwargs)
