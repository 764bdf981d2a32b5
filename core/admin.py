from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written elsewhere (services, phones, the API): the admin only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
