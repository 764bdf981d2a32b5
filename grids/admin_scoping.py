"""Admin glue for the scoping function: lists and choices show only what the user may see."""

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ImproperlyConfigured

from core.admin_forms import PlainNumbersAdminMixin
from core.db.replicas import stale_reads
from grids.scoping import scope_lookups_for, scope_queryset


def _scopable(model) -> bool:
    try:
        scope_lookups_for(model)
    except ImproperlyConfigured:
        return False
    return True


def _scoped_all(user, model):
    return scope_queryset(user, model._default_manager.all())


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """Admin's related filter lists every row of the related table (a fund or campaign of any
    district, by name); this one lists only those in the user's scope."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        allowed = _scoped_all(request.user, field.related_model).values("pk")
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to={"pk__in": allowed})


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """The raw-id box prints the chosen row's name, fetched by id from the whole table: an id
    typed into `?veteran=` would show anyone's name. This one names only rows in scope."""

    def __init__(self, rel, admin_site, *, allowed, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.allowed = allowed

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        if not self.allowed.filter(**{key: value}).exists():
            return "", ""
        return super().label_and_url_for_value(value)


class ScopedAdminMixin(PlainNumbersAdminMixin):
    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        """A list page may read from a replica (core.db.replicas); its actions (POST) may not."""
        if request.method not in ("GET", "HEAD"):
            return super().changelist_view(request, extra_context)
        with stale_reads():
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()  # the page's lazy reads too, inside the block
            return response

    def get_list_filter(self, request):
        return [self._scoped_filter(entry) for entry in super().get_list_filter(request)]

    def _scoped_filter(self, entry):
        if not isinstance(entry, str) or "__" in entry:
            return entry
        field = self.model._meta.get_field(entry)
        if field.is_relation and _scopable(field.related_model):
            return (entry, ScopedRelatedFieldListFilter)
        return entry

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if _scopable(db_field.related_model):
            kwargs["queryset"] = _scoped_all(request.user, db_field.related_model)
            if db_field.name in self.raw_id_fields:
                kwargs["widget"] = ScopedRawIdWidget(
                    db_field.remote_field, self.admin_site, allowed=kwargs["queryset"], using=kwargs.get("using")
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if _scopable(db_field.related_model):
            kwargs["queryset"] = _scoped_all(request.user, db_field.related_model)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
