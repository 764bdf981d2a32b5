from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    survivor = forms.TypedChoiceField(label=_("保留哪份档案"), coerce=int, required=False, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("原因"), max_length=200)

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (pair.first_id, f"{pair.first.name}（{pair.first_id}）"),
            (pair.second_id, f"{pair.second.name}（{pair.second_id}）"),
        ]
