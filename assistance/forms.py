from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.models import CaseType


class CaseForm(forms.Form):
    case_type = forms.ModelChoiceField(label=_("救助类型"), queryset=CaseType.objects.order_by("id"))
    description = forms.CharField(label=_("困难情况"), widget=forms.Textarea(attrs={"rows": 4}))
    reported_on = forms.DateField(label=_("首次获知日期"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_requested = forms.DecimalField(
        label=_("申请金额（元）"), min_value=0.01, max_digits=12, decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )  # fmt: skip
    submit_now = forms.BooleanField(label=_("立即提交服务站审核"), required=False, initial=True)
