from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DayField
from core.widgets import DatePicker
from pairing.models import ContactWay


class PairContactForm(forms.Form):
    """结对走访 on the phone: which pair (when the person has more than one), when, how, what."""

    pair = forms.TypedChoiceField(label=_("结对人"), coerce=int, choices=())
    contacted_on = DayField(label=_("走访日期"), widget=DatePicker())
    way = forms.ChoiceField(label=_("方式"), choices=ContactWay.choices, initial=ContactWay.HOME_VISIT)
    note = forms.CharField(
        label=_("走访情况"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pair"].choices = [
            (pair.pk, f"{pair.get_partner_kind_display()}：{pair.partner_display}") for pair in pairs
        ]
