"""Admin forms that write through services instead of `ModelForm.save()`.

The service runs at the end of validation, so an ApplicationError becomes an ordinary form
error next to its field and nothing is saved; the admin's own save steps become no-ops.
"""

from django import forms

from core.errors import ApplicationError


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
            self.instance = self.run_service()
        except ApplicationError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)

    def save(self, commit=True):
        self.save_m2m = lambda: None
        return self.instance


class ServiceFormAdminMixin:
    """Pairs with ServiceModelForm: hand it the user, and do not save a second time."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_model(self, request, obj, form, change):
        pass  # the form's service already saved it

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
