from django import forms
from django.utils.translation import gettext_lazy as _

from core.admin_forms import ClerkDateFormField, ServiceModelForm
from core.normalize import plain_code, plain_phone
from grids.models import Grid
from veterans.models import Veteran
from veterans.services import EDITABLE_FIELDS, MONTH_DATE_FIELDS, veteran_create, veteran_update


class VeteranAdminForm(ServiceModelForm):
    """The record form: new records need a grid; existing ones move by the move action."""

    class Meta:
        model = Veteran
        fields = ["grid", *EDITABLE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                self.fields[name] = ClerkDateFormField(
                    label=field.label, required=field.required, help_text=field.help_text
                )
                if self.instance.pk and name in MONTH_DATE_FIELDS:
                    self.initial[name] = self.instance.shown_date(name)
        for name, plain_form in (("id_number", plain_code), ("phone", plain_phone)):
            if name in self.fields:  # full-width digits made plain before the field's validators
                field = self.fields[name]
                field.to_python = lambda value, parse=field.to_python, plain=plain_form: plain(parse(value) or "")
        for name in ("birth_date", "gender"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = _("留空则按身份证号自动填写")

    def run_service(self):
        data = {f: self.cleaned_data[f] for f in EDITABLE_FIELDS if f in self.cleaned_data}
        if self.instance.pk:
            current = Veteran.objects.get(pk=self.instance.pk)
            # A date now meaning its month (or no longer) is a change although the day is the same.
            changed = {
                f: v
                for f, v in data.items()
                if getattr(current, f) != v
                or (f in MONTH_DATE_FIELDS and current.shown_date(f).__class__ != v.__class__)
            }
            return veteran_update(veteran=current, acting_user=self.acting_user, **changed)
        return veteran_create(grid=self.cleaned_data["grid"], acting_user=self.acting_user, **data)


class MoveGridForm(forms.Form):
    grid = forms.ModelChoiceField(queryset=Grid.objects.none(), label=_("迁入网格"))
    reason = forms.CharField(label=_("原因"), max_length=200)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids if grids is not None else Grid.objects.none()


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("注销原因"), max_length=200)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("退役军人信息Excel文件（.xlsx）"))
