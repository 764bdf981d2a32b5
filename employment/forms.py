from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DayField
from core.widgets import DatePicker
from employment.models import EmploymentStatus


class VisitFindingsForm(forms.Form):
    """What the grid worker learns on a visit: the status (and since when), skills and wishes."""

    status = forms.ChoiceField(label=_("就业状态"), choices=EmploymentStatus.choices, widget=forms.RadioSelect)
    changed_on = DayField(label=_("状态起始或变更日期"), widget=DatePicker())
    workplace = forms.CharField(label=_("就业单位或创业项目"), max_length=100, required=False)
    skills = forms.CharField(label=_("技能特长"), max_length=200, required=False)
    wants_job = forms.BooleanField(label=_("有求职意愿"), required=False)
    wants_training = forms.BooleanField(label=_("有培训意愿"), required=False)
    wants_business = forms.BooleanField(label=_("有创业意愿"), required=False)
    wish_note = forms.CharField(label=_("意愿说明"), max_length=300, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
