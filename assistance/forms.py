from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assistance.models import AttachmentKind, CaseType, FundEntry, HardshipCase, ReliefFund
from assistance.rules import fund_owner
from assistance.services import case_open, case_type_change, case_type_create, fund_create, fund_receive
from core.admin_forms import ServiceModelForm
from core.errors import ApplicationError
from core.inputs import DayField
from core.numbers import MONEY
from core.uploads.documents import check_document
from core.widgets import DatePicker
from visits.forms import MultipleFileInput, MultipleImageField


class CaseForm(forms.Form):
    case_type = forms.ModelChoiceField(label=_("救助类型"), queryset=CaseType.objects.order_by("id"))
    description = forms.CharField(label=_("困难情况"), widget=forms.Textarea(attrs={"rows": 4}))
    reported_on = DayField(label=_("首次获知日期"), widget=DatePicker())
    amount_requested = forms.DecimalField(
        label=_("申请金额（元）"),
        min_value=Decimal("0.01"),
        **MONEY,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    papers = MultipleImageField(
        label=_("诊断证明、票据等材料（PDF或图片，可多选）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/*", "multiple": True}),
    )
    submit_now = forms.BooleanField(label=_("立即提交服务站审核"), required=False, initial=True)

    def clean_papers(self):
        """Every paper is judged before the case is opened: the service stores each file as it
        goes, and a bad second paper would roll the case back but leave the first on disk."""
        papers, seen = self.cleaned_data["papers"], set()
        for paper in papers:
            try:
                digest = check_document(paper, field="papers").sha256
            except ApplicationError as error:
                raise forms.ValidationError(error.message) from error
            if digest in seen:
                raise forms.ValidationError(gettext("“%(name)s”已上传过。") % {"name": paper.name})
            seen.add(digest)
            paper.seek(0)
        return papers


class StepForm(forms.Form):
    """One workflow step from the case page; the service decides whether it is allowed."""

    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("意见"), required=False, max_length=500)
    amount = forms.DecimalField(label=_("批准金额（元）"), required=False, min_value=Decimal("0.01"), **MONEY)
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


class CaseOpenForm(ServiceModelForm):
    """A station opens a case in the admin, through the same service as the phone and the API."""

    class Meta:
        model = HardshipCase
        fields = ["veteran", "visit", "case_type", "description", "reported_on", "amount_requested"]
        help_texts = {"reported_on": _("从走访发起的，可留空，默认为走访日期")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].required = False

    def run_service(self):
        return case_open(acting_user=self.acting_user, **self.cleaned_data)


class CaseTypeForm(ServiceModelForm):
    """A case type through the services: a station may add one; amount rules are the bureau's
    (the admin shows them read-only to stations, and the service refuses them anyway)."""

    class Meta:
        model = CaseType
        fields = ["name", "min_amount", "max_amount", "yearly_cap", "special_ceiling", "station_limit"]

    def run_service(self):
        if self.instance.pk is None:
            return case_type_create(acting_user=self.acting_user, **self.cleaned_data)
        return case_type_change(case_type=self.instance, acting_user=self.acting_user, **self.cleaned_data)


class FundForm(ServiceModelForm):
    class Meta:
        model = ReliefFund
        fields = ["name", "level", "district", "street"]

    def clean(self):
        """Level against owner area first, so the page says which field is wrong (and the
        model's own check, on the same fields, is then skipped)."""
        data = super().clean()
        if "level" in data:
            try:
                data["district"], data["street"] = fund_owner(
                    level=data["level"], district=data.get("district"), street=data.get("street")
                )
            except ApplicationError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        return data

    def run_service(self):
        return fund_create(acting_user=self.acting_user, **self.cleaned_data)


class IncomeForm(ServiceModelForm):
    """Money in through the admin: a fiscal allocation or a donation with its donor."""

    class Meta:
        model = FundEntry
        fields = ["fund", "kind", "amount", "donor_kind", "donor_name", "receipt_no", "reference"]
        help_texts = {"receipt_no": _("捐赠可留空，系统自动编号")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] in ("allocation", "donation")]

    def run_service(self):
        return fund_receive(acting_user=self.acting_user, **self.cleaned_data)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)
