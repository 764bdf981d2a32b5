from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from core.admin_forms import ServiceModelForm
from grids.models import AreaLevel, Community, District, Grid, StaffProfile, Street
from grids.services import (
    STATION_FIELDS,
    area_create,
    area_update,
    staff_account_create,
    staff_name_change,
    staff_profile_change,
)

PARENT_FIELDS = {District: None, Street: "district", Community: "street", Grid: "community"}


class AreaForm(ServiceModelForm):
    """Create or edit one area; the parent is fixed once the area exists."""

    def run_service(self):
        model = self._meta.model
        data = self.cleaned_data
        station = {f: data[f] for f in STATION_FIELDS if f in data}
        if self.instance.pk:
            current = model.objects.get(pk=self.instance.pk)
            return area_update(
                area=current, acting_user=self.acting_user, code=data["code"], name=data["name"], **station
            )
        parent_field = PARENT_FIELDS[model]
        return area_create(
            level=model.level,
            parent=data.get(parent_field) if parent_field else None,
            code=data["code"],
            name=data["name"],
            acting_user=self.acting_user,
            **station,
        )


class AreaUploadForm(forms.Form):
    file = forms.FileField(label=_("区域Excel文件（.xlsx）"))


SCOPE_AREA_FIELDS = {
    AreaLevel.DISTRICT: "district",
    AreaLevel.STREET: "street",
    AreaLevel.COMMUNITY: "community",
}


class StaffProfileForm(ServiceModelForm):
    username = forms.CharField(label=_("用户名"), max_length=150, required=False)
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False), required=False)

    class Meta:
        model = StaffProfile
        fields = ["role", "scope_level", "district", "street", "community", "grids", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["full_name"].initial = self.instance.user.first_name
            for name in ("username", "password"):
                self.fields.pop(name)

    def clean(self):
        data = super().clean()
        if not self.instance.pk:
            if not data.get("username"):
                self.add_error("username", _("请填写用户名。"))
            if not data.get("password"):
                self.add_error("password", _("请设置初始密码。"))
            else:
                user_stub = StaffProfile.user.field.related_model(username=data.get("username", ""))
                try:
                    password_validation.validate_password(data["password"], user_stub)
                except forms.ValidationError as error:
                    self.add_error("password", error)
        return data

    def run_service(self):
        data = self.cleaned_data
        level = data["scope_level"]
        area = data.get(SCOPE_AREA_FIELDS[level]) if level in SCOPE_AREA_FIELDS else None
        grids = list(data.get("grids") or []) if level == AreaLevel.GRID else []
        if self.instance.pk:
            profile = StaffProfile.objects.select_related("user").get(pk=self.instance.pk)
            profile = staff_name_change(profile=profile, full_name=data["full_name"], acting_user=self.acting_user)
            return staff_profile_change(
                profile=profile,
                role=data["role"],
                scope_level=level,
                area=area,
                grids=grids,
                phone=data.get("phone", ""),
                acting_user=self.acting_user,
            )
        return staff_account_create(
            username=data["username"],
            password=data["password"],
            full_name=data["full_name"],
            role=data["role"],
            scope_level=level,
            area=area,
            grids=grids,
            phone=data.get("phone", ""),
            acting_user=self.acting_user,
        )
