"""Admin forms that write through services instead of `ModelForm.save()`.

Validation runs the service once inside a savepoint that is always rolled back, so a rule it
enforces becomes an ordinary form error next to its field. The real write happens in the
admin's `save_model`, after the inline formsets have validated too: nothing is saved from a
page that is shown again with errors.
"""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.dates import MonthDate, parse_clerk_date
from core.errors import ApplicationError
from core.normalize import plain_phone


class _DryRun(Exception):
    pass


class ServiceModelForm(forms.ModelForm):
    acting_user = None  # set per request by ServiceFormAdminMixin.get_form

    def run_service(self):
        """Perform the write and return the saved object."""
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.run_service()
                raise _DryRun
        except _DryRun:
            pass
        except ApplicationError as error:
            error.settle()  # outside the rolled-back savepoint
            field = error.field if error.field in self.fields else None
            message = error.message
            if error.link:
                message = format_html('{} <a href="{}">{}</a>', error.message, error.link, _("查看该档案"))
            self.add_error(field, message)

    def validate_unique(self):
        pass  # the service owns uniqueness and names the clashing record in its message

    def save(self, commit=True):
        self.save_m2m = lambda: None
        return self.instance


class ServiceFormAdminMixin:
    """Pairs with ServiceModelForm: hand it the user, and write through its service."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_model(self, request, obj, form, change):
        saved = form.run_service()
        # The admin keeps using `obj` (for inlines, the log and the redirect): make it the saved row.
        obj.__dict__.update(saved.__dict__)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ClerkDateWidget(AdminDateWidget):
    def format_value(self, value):
        if isinstance(value, MonthDate):
            return value.month_text()
        return super().format_value(value)


class ClerkDateFormField(forms.DateField):
    """The admin's date field, taking dates as clerks type them (core.dates); a month stays a
    month (MonthDate)."""

    widget = ClerkDateWidget

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_clerk_date(str(value))
        except ApplicationError as error:
            raise forms.ValidationError(error.message, code="invalid") from error


class PlainNumbersAdminMixin:
    """Phone fields of any admin page take full-width digits (an IME's habit) as plain ones,
    before the field's own validators see them."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name.endswith("phone") and isinstance(formfield, forms.CharField):
            parse = formfield.to_python
            formfield.to_python = lambda value: plain_phone(parse(value) or "")
        return formfield
