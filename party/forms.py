from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.inputs import DayField
from core.widgets import DatePicker
from party.models import PartyOrganisation, StepKind

DATE = {"widget": DatePicker()}


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("责任人"), queryset=get_user_model().objects.none())

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workers is not None:
            self.fields["assigned_to"].queryset = workers
        self.fields["assigned_to"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class StepForm(forms.Form):
    on = DayField(label=_("跟进日期"), **DATE)
    kind = forms.ChoiceField(label=_("类型"), choices=StepKind.choices, initial=StepKind.CONTACT)
    note = forms.CharField(label=_("跟进情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    """The phone's form: a contact with the member, on a day."""

    on = DayField(label=_("联系日期"), **DATE)
    note = forms.CharField(label=_("联系情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class BringInForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("转入党组织"), queryset=PartyOrganisation.objects.none())
    joined_on = DayField(label=_("转入日期"), **DATE)
    closed_on = DayField(label=_("纳入日期"), **DATE)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class CloseForm(forms.Form):
    closed_on = DayField(label=_("纳入日期"), **DATE)
