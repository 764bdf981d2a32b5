"""Forms of the project steps (admin desk and phone): they validate input; the services act."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DayField
from core.numbers import MONEY
from core.widgets import DatePicker
from projects.models import NeedSource
from projects.selectors import active_items

DATE = {"widget": DatePicker()}
SATISFACTION_CHOICES = [
    (5, _("5分 非常满意")),
    (4, _("4分 满意")),
    (3, _("3分 一般")),
    (2, _("2分 不满意")),
    (1, _("1分 非常不满意")),
]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("批准")), ("reject", _("不予批准"))],
        widget=forms.RadioSelect,
    )
    reviewed_on = DayField(label=_("审核日期"), **DATE)
    note = forms.CharField(label=_("审核意见"), required=False, max_length=300)

    def service_arguments(self, project) -> dict:
        data = self.cleaned_data
        approve = data["decision"] == "approve"
        return {"project": project, "approve": approve, "reviewed_on": data["reviewed_on"], "note": data["note"]}


class DeliverForm(forms.Form):
    delivered_on = DayField(label=_("交付日期"), **DATE)
    delivered_by = forms.CharField(label=_("服务提供者"), max_length=100, help_text=_("单位或人员，如：镇卫生院"))
    cost = forms.DecimalField(
        label=_("服务费用（元）"),
        min_value=0,
        **MONEY,
        help_text=_("仅记录费用，不从救助资金支付"),
    )

    def service_arguments(self, project) -> dict:
        return {"project": project, **self.cleaned_data}


class EvaluationForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), choices=SATISFACTION_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("评价意见"), required=False, max_length=300)
    evaluated_on = DayField(label=_("评价日期"), **DATE)


class DeskEvaluationForm(EvaluationForm):
    """The station records a rating on the desk: it chooses whose."""

    delivery = forms.TypedChoiceField(label=_("服务对象"), coerce=int, choices=())
    field_order = ["delivery", "satisfaction", "comment", "evaluated_on"]

    def __init__(self, *args, deliveries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.deliveries = {delivery.pk: delivery for delivery in deliveries}
        self.fields["delivery"].choices = [(pk, delivery.person.name) for pk, delivery in self.deliveries.items()]

    def service_arguments(self, project) -> dict:
        data = dict(self.cleaned_data)
        data["delivery"] = self.deliveries[data["delivery"]]
        return data


class NeedForm(forms.Form):
    """A need found on a visit (the grid worker's phone form)."""

    item = forms.ModelChoiceField(label=_("对应服务事项"), queryset=active_items(), required=False)
    description = forms.CharField(label=_("需求内容"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(
        label=_("需求来源"),
        choices=[(NeedSource.VISIT, NeedSource.VISIT.label), (NeedSource.STATION, NeedSource.STATION.label)],
        initial=NeedSource.VISIT,
    )
    recorded_on = DayField(label=_("登记日期"), **DATE)
