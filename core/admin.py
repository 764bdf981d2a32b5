from django.contrib import admin
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import capfirst

from core.money import yuan


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written elsewhere (services, phones, the API): the admin only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def money_column(model, field: str, description=None):
    """A list column of an amount: ¥1,234.00, right-aligned with figures of one width (admin.css
    aligns the columns whose name ends in _yuan)."""

    def column(obj):
        amount = getattr(obj, field)
        if amount is None:  # not decided yet (批准金额 before approval): no ¥0.00
            return ""
        return format_html('<span class="money">{}</span>', yuan(amount))

    column.__name__ = f"{field}_yuan"
    label = description or lazy(_money_label, str)(model, field)  # lazy: in the reader's language
    return admin.display(description=label, ordering=field)(column)


def _money_label(model, field: str) -> str:
    # "申请金额（元）" in forms; in a column of ¥ amounts the sign says the unit.
    return capfirst(str(model._meta.get_field(field).verbose_name)).removesuffix("（元）")


def status_badge(model, field: str = "status", description=None):
    """A list column of a status as a badge that never wraps (admin.css: .status-badge)."""

    def column(obj):
        value = getattr(obj, field)
        label = getattr(obj, f"get_{field}_display")()
        return format_html('<span class="status-badge status-{}">{}</span>', value, label)

    column.__name__ = f"{field}_badge"
    return admin.display(
        description=description or capfirst(model._meta.get_field(field).verbose_name), ordering=field
    )(column)
