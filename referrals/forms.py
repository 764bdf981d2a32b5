"""Forms of the phone and desk pages: they validate input; the services act."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DayField
from core.widgets import DatePicker
from referrals.messages import provider_off_list_message
from referrals.models import Provider

DATE = {"widget": DatePicker()}


class ProviderChoiceField(forms.ModelChoiceField):
    """The person's district's list; anything else is refused with the service's own words."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Provider.objects.none(), label=_("转介至服务机构"), **kwargs)
        self.error_messages["invalid_choice"] = provider_off_list_message()

    def label_from_instance(self, provider):
        return f"{provider.name}（{provider.get_kind_display()}）"


class ReferralForm(forms.Form):
    provider = ProviderChoiceField()
    need = forms.CharField(label=_("服务需求"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    referred_on = DayField(label=_("转介日期"), **DATE)
    follow_up_on = DayField(label=_("跟进日期"), required=False, help_text=_("不填则为转介后7天"), **DATE)

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers


class AnswerForm(forms.Form):
    answered_on = DayField(label=_("接收/拒收日期"), **DATE)
    note = forms.CharField(label=_("说明（拒收时必填）"), required=False, max_length=300)
    follow_up_on = DayField(label=_("跟进日期"), required=False, **DATE)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("跟进情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_on = DayField(label=_("下次跟进日期"), required=False, **DATE)


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("服务结果"), widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = DayField(label=_("办结日期"), **DATE)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)
