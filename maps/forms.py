from django import forms
from django.utils.translation import gettext_lazy as _

from core.admin_forms import ServiceModelForm
from grids.models import AREA_MODELS, AreaLevel
from grids.scoping import scope_queryset
from maps.homes import home_from_visit, home_set
from maps.models import BOUNDARY_LEVELS, HomePosition, HomeSource

MAX_WITHIN_CHOICES = 2000


def within_choices(user) -> list[tuple[str, str]]:
    """The areas (district, street, community) in the user's scope an upload may be narrowed to:
    codes are unique only among siblings, so a file of grids names its community or street."""
    choices = [("", _("整个管辖范围"))]
    for level in (AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY):
        areas = scope_queryset(user, AREA_MODELS[level].objects.order_by("code"))
        for pk, code, name in areas.values_list("pk", "code", "name")[:MAX_WITHIN_CHOICES]:
            choices.append((f"{level}:{pk}", f"{AreaLevel(level).label} {code} {name}"))
    return choices


class BoundaryUploadForm(forms.Form):
    level = forms.ChoiceField(label=_("边界层级"), choices=[(lvl.value, lvl.label) for lvl in BOUNDARY_LEVELS])
    within = forms.ChoiceField(
        label=_("所属上级区域"), required=False, help_text=_("编码只在同一上级下唯一时，选择文件所属的区域")
    )
    file = forms.FileField(label=_("边界文件（GeoJSON，经纬度坐标）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["within"].choices = within_choices(user)

    def within_area(self):
        value = self.cleaned_data.get("within")
        if not value:
            return None
        level, pk = value.split(":")
        return AREA_MODELS[level].objects.get(pk=int(pk))


class HomesUploadForm(forms.Form):
    file = forms.FileField(label=_("住址定位Excel文件（.xlsx）"))


class HomeForm(ServiceModelForm):
    """A home set by hand (typed or picked on the map), or confirmed from the latest home visit."""

    from_visit = forms.BooleanField(
        label=_("以最近入户走访定位为住址"), required=False, help_text=_("勾选后不必填写经纬度")
    )

    class Meta:
        model = HomePosition
        fields = ["veteran", "longitude", "latitude"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("longitude", "latitude"):
            self.fields[name].required = False
        if self.instance.pk:
            self.fields["veteran"].disabled = True

    def run_service(self):
        data = self.cleaned_data
        veteran = self.instance.veteran if self.instance.pk else data["veteran"]
        if data.get("from_visit"):
            return home_from_visit(veteran=veteran, acting_user=self.acting_user)
        return home_set(
            veteran=veteran,
            longitude=data.get("longitude") if data.get("longitude") is not None else "",
            latitude=data.get("latitude") if data.get("latitude") is not None else "",
            source=HomeSource.PICKED,
            acting_user=self.acting_user,
        )
