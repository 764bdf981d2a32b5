from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.models import AttachmentKind, CaseType, ReliefFund


class CaseForm(forms.Form):
    case_type = forms.ModelChoiceField(label=_("救助类型"), queryset=CaseType.objects.order_by("id"))
    description = forms.CharField(label=_("困难情况"), widget=forms.Textarea(attrs={"rows": 4}))
    reported_on = forms.DateField(label=_("首次获知日期"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_requested = forms.DecimalField(
        label=_("申请金额（元）"), min_value=0.01, max_digits=12, decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )  # fmt: skip
    submit_now = forms.BooleanField(label=_("立即提交服务站审核"), required=False, initial=True)


class StepForm(forms.Form):
    """One workflow step from the case page; the service decides whether it is allowed."""

    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("意见"), required=False, max_length=500)
    amount = forms.DecimalField(
        label=_("批准金额（元）"), required=False, min_value=0.01, max_digits=12, decimal_places=2
    )
    special = forms.BooleanField(label=_("特殊困难"), required=False)
    special_reason = forms.CharField(label=_("特殊困难理由"), required=False, max_length=300)
    fund = forms.ModelChoiceField(label=_("支出基金"), required=False, queryset=ReliefFund.objects.none())

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funds is not None:
            self.fields["fund"].queryset = funds


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("文件（PDF或图片）"))
