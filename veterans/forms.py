from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_forms import ClerkDateFormField, ServiceModelForm
from core.errors import ApplicationError
from core.normalize import plain_code, plain_phone
from core.uploads.images import clean_image
from grids.models import Grid
from grids.scoping import scope_queryset
from veterans.models import FamilyRelation, SoldierStatus, SourceSoldier, Veteran
from veterans.services import (
    EDITABLE_FIELDS,
    KEEP,
    MONTH_DATE_FIELDS,
    SOLDIER_FIELDS,
    veteran_create,
    veteran_set_photo,
    veteran_update,
)


def soldier_form_field(name: str) -> str:
    """The name this form (and a service's error) gives a soldier's field."""
    return name if name.startswith("soldier_") else f"soldier_{name}"


# The soldier a survivor's or family member's file derives from, as fields of the same form.
SOLDIER_FORM_FIELDS = [soldier_form_field(name) for name in SOLDIER_FIELDS]


def _blank_choice(choices):
    return [("", "---------"), *choices]


class VeteranAdminForm(ServiceModelForm):
    """The record form: new records need a grid; existing ones move by the move action.
    A survivor's or family member's soldier is filled in on the same form."""

    soldier_name = forms.CharField(label=_("军人姓名"), max_length=50, required=False)
    soldier_unit = forms.CharField(label=_("部队"), max_length=100, required=False)
    soldier_relation = forms.ChoiceField(
        label=_("与军人关系"), choices=_blank_choice(FamilyRelation.choices), required=False
    )
    soldier_status = forms.ChoiceField(
        label=_("军人状态"),
        choices=_blank_choice(SoldierStatus.choices),
        required=False,
        help_text=_("留空则按人员类别填写"),
    )
    soldier_death_date = forms.DateField(label=_("牺牲/病故日期"), required=False)
    soldier_death_place = forms.CharField(label=_("牺牲/病故地点"), max_length=100, required=False)
    soldier_certificate_number = forms.CharField(label=_("烈士证书编号"), max_length=50, required=False)
    photo_upload = forms.FileField(
        label=_("照片"),
        required=False,
        help_text=_("证件照（JPEG、PNG等），保存时去除拍摄位置等信息；打印档案表时使用"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    soldier_file = forms.IntegerField(
        label=_("军人本人档案编号"), required=False, min_value=1, help_text=_("军人本人也有档案时填写其档案编号")
    )

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
        if "person_kind" in self.fields:
            self.fields["person_kind"].required = False  # forms from before the kinds: a veteran
            self.fields["person_kind"].help_text = _("留空为退役军人")
        soldier = SourceSoldier.objects.filter(person_id=self.instance.pk).first() if self.instance.pk else None
        if soldier is not None:
            for name in SOLDIER_FIELDS:
                self.initial[soldier_form_field(name)] = getattr(
                    soldier, "soldier_file_id" if name == "soldier_file" else name
                )

    def _get_validation_exclusions(self):
        # Which kind may have service history is the service's to say, in words a clerk reads;
        # the model's check constraint would only name itself.
        return {*super()._get_validation_exclusions(), "person_kind"}

    def _soldier(self):
        """What the service is told of the soldier: unchanged, removed (no name), or these facts."""
        if self.instance.pk and not any(name in self.changed_data for name in SOLDIER_FORM_FIELDS):
            return KEEP
        if not self.cleaned_data.get("soldier_name"):
            return None
        values = {name: self.cleaned_data.get(soldier_form_field(name)) for name in SOLDIER_FIELDS}
        file_id = values.pop("soldier_file")
        # Looked up in the user's area only: another area's file is as absent as a wrong number.
        values["soldier_file"] = scope_queryset(self.acting_user, Veteran.objects.filter(pk=file_id)).first()
        if file_id and values["soldier_file"] is None:
            raise ApplicationError(gettext("没有该编号的档案。"), field="soldier_file")
        return values

    def clean_photo_upload(self):
        """Judged before anything is written; the service judges it again."""
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            try:
                clean_image(upload, field="photo_upload")
            except ApplicationError as error:
                raise forms.ValidationError(error.message) from error
            upload.seek(0)
        return upload

    def run_service(self):
        data = {f: self.cleaned_data[f] for f in EDITABLE_FIELDS if f in self.cleaned_data}
        if not data.get("person_kind"):
            data.pop("person_kind", None)
        if self.instance.pk:
            current = Veteran.objects.get(pk=self.instance.pk)
            # A date now meaning its month (or no longer) is a change although the day is the same.
            changed = {
                f: v
                for f, v in data.items()
                if getattr(current, f) != v
                or (f in MONTH_DATE_FIELDS and current.shown_date(f).__class__ != v.__class__)
            }
            saved = veteran_update(veteran=current, acting_user=self.acting_user, soldier=self._soldier(), **changed)
        else:
            saved = veteran_create(
                grid=self.cleaned_data["grid"], acting_user=self.acting_user, soldier=self._soldier(), **data
            )
        if self.cleaned_data.get("photo_upload"):
            saved = veteran_set_photo(
                veteran=saved, upload=self.cleaned_data["photo_upload"], acting_user=self.acting_user
            )
        return saved


class MoveGridForm(forms.Form):
    grid = forms.ModelChoiceField(queryset=Grid.objects.none(), label=_("迁入网格"))
    reason = forms.CharField(label=_("原因"), max_length=200)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids if grids is not None else Grid.objects.none()


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("注销原因"), max_length=200)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("服务对象信息Excel文件（.xlsx）"))
