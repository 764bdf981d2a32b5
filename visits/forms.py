import uuid

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


class VisitForm(forms.Form):
    """The phone form. `client_id` is fixed when the page is served: a resubmit is the same visit."""

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

    def __init__(self, *args, campaigns=None, companions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns if campaigns is not None else Campaign.objects.none()
        self.fields["companions"].queryset = companions if companions is not None else get_user_model().objects.none()
        self.fields["companions"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())
            self.initial.setdefault("visited_at", timezone.localtime().replace(second=0, microsecond=0))


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
