import uuid
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DayField
from core.numbers import MONEY
from core.widgets import DatePicker
from visits.models import ActivityKind, Campaign, EventKind, VisitKind, VisitMethod


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


@dataclass
class FormSection:
    """A closed part of the form (<details>) that opens itself when it holds a choice or an error."""

    name: str
    title: str
    fields: list  # bound fields
    open: bool


class VisitForm(forms.Form):
    """The phone form. `client_id` is fixed when the page is served: a resubmit is the same visit.

    The common visit (at home, nothing special) needs only the fields in MAIN_FIELDS; the others
    wait in SECTIONS, which the page shows closed unless they hold a choice or an error.
    """

    MAIN_FIELDS = ("visited_at", "method", "findings", "needs", "photos")
    SECTIONS = (
        ("kind", _("必访、节日慰问"), ("kind", "event_kind", "campaign")),
        ("money", _("慰问金、物品"), ("money", "goods", "goods_value")),
        ("companions", _("同行走访人员"), ("companions",)),
        ("follow-up", _("需要跟进"), ("follow_up_needed", "follow_up_by")),
    )
    # Filled by the page's script when the worker taps 记录位置 and the phone agrees.
    POSITION_FIELDS = ("latitude", "longitude", "location_accuracy")

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    visited_at = forms.DateTimeField(
        label=_("走访时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    method = forms.ChoiceField(label=_("方式"), choices=VisitMethod.choices, initial=VisitMethod.HOME)
    kind = forms.ChoiceField(label=_("类型"), choices=VisitKind.choices, initial=VisitKind.ROUTINE)
    event_kind = forms.ChoiceField(label=_("必访事由"), choices=[("", "—"), *EventKind.choices], required=False)
    campaign = forms.ModelChoiceField(label=_("节日慰问活动"), queryset=Campaign.objects.none(), required=False)
    findings = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    needs = forms.CharField(label=_("反映需求"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    money = forms.DecimalField(
        label=_("慰问金（元）"),
        min_value=0,
        **MONEY,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    goods = forms.CharField(label=_("慰问物品"), max_length=200, required=False)
    goods_value = forms.DecimalField(
        label=_("物品价值（元）"),
        min_value=0,
        **MONEY,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    follow_up_needed = forms.BooleanField(label=_("需要跟进"), required=False)
    follow_up_by = DayField(label=_("跟进期限"), required=False, widget=DatePicker())
    companions = forms.ModelMultipleChoiceField(
        label=_("同行走访人员"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    photos = MultipleImageField(label=_("照片（最多3张）"), required=False)
    # Any number of decimals: the service rounds to what is kept and checks the ranges.
    latitude = forms.DecimalField(label=_("纬度"), required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(label=_("经度"), required=False, widget=forms.HiddenInput)
    location_accuracy = forms.DecimalField(label=_("定位精度（米）"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaigns=None, companions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns if campaigns is not None else Campaign.objects.none()
        self.fields["companions"].queryset = companions if companions is not None else get_user_model().objects.none()
        self.fields["companions"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())
            self.initial.setdefault("visited_at", timezone.localtime().replace(second=0, microsecond=0))

    def main_fields(self) -> list:
        return [self[name] for name in self.MAIN_FIELDS]

    def sections(self) -> list[FormSection]:
        # After a refused save the worker sees every choice made and every error without a tap.
        changed = set(self.changed_data) if self.is_bound else set()
        sections = [
            FormSection(
                name=name,
                title=str(title),
                fields=[self[field] for field in fields],
                open=any(field in changed or field in self.errors for field in fields),
            )
            for name, title, fields in self.SECTIONS
        ]
        if "companions" not in self.errors and not self.fields["companions"].queryset.exists():
            # A worker alone in the grid: nothing to choose.
            sections = [section for section in sections if section.name != "companions"]
        return sections

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) of each error, in the page's order; no anchor for the form's own."""
        summary = [("", "", str(message)) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            if name == "client_id":  # a page altered or kept too long: nothing on it to point at
                anchor, label = "", ""
            elif name in self.POSITION_FIELDS:  # hidden: point at the button that filled them
                anchor, label = "locate", _("位置")
            else:
                anchor, label = self[name].id_for_label or f"field-{name}", field.label
            summary.extend((anchor, str(label), str(message)) for message in self.errors[name])
        return summary


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("事由"), choices=EventKind.choices)
    occurred_on = DayField(label=_("发生日期"), widget=DatePicker())
    note = forms.CharField(label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ActivityForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("网格"), queryset=None)
    held_on = DayField(label=_("日期"), widget=DatePicker())
    kind = forms.ChoiceField(label=_("类型"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("标题"), max_length=100)
    participants = forms.IntegerField(label=_("参与人数"), min_value=0, max_value=100000)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        if grids.count() == 1:
            self.initial.setdefault("grid", grids.first())
