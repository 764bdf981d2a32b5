"""The phone's delivery form: it validates input; honours.services decides and writes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DayField
from core.widgets import DatePicker
from honours.models import DeliveryWay


class DeliverForm(forms.Form):
    # A radio of the phone's size (app.css sizes only checkboxes so).
    notice = forms.TypedChoiceField(
        label=_("喜报"), coerce=int, widget=forms.RadioSelect(attrs={"style": "width: 24px; min-height: 24px"})
    )
    delivered_on = DayField(label=_("送达日期"), initial=timezone.localdate, widget=DatePicker())
    delivery_way = forms.ChoiceField(label=_("送达方式"), choices=DeliveryWay.choices, initial=DeliveryWay.HOME)
    note = forms.CharField(label=_("送达情况"), required=False, max_length=300, help_text=_("如：母亲签收，合影留念"))
    # Checked by content and re-encoded by the service; the browser hint only narrows the picker.
    photo = forms.FileField(
        label=_("送达照片"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )

    def __init__(self, *args, notices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice"].choices = [
            (n.pk, f"{n.soldier_name} · {n.get_merit_kind_display()} · {n.received_on:%Y-%m-%d}") for n in notices
        ]
        if len(self.fields["notice"].choices) == 1:
            self.fields["notice"].initial = self.fields["notice"].choices[0][0]
