from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from appeals.models import Channel, Satisfaction
from appeals.selectors import active_categories
from core.inputs import DayField
from core.widgets import DatePicker

DATE = {"widget": DatePicker()}


class AppealForm(forms.Form):
    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=active_categories())
    channel = forms.ChoiceField(label=_("受理渠道"), choices=Channel.choices, initial=Channel.VISIT)
    subject = forms.CharField(label=_("诉求事项"), max_length=100)
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))
    received_on = DayField(label=_("受理日期"), **DATE)


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=get_user_model().objects.none())
    note = forms.CharField(label=_("交办说明"), required=False, max_length=300)

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if handlers is not None:
            self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("办理进展"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class DocumentsForm(forms.Form):
    document_ids = forms.TypedMultipleChoiceField(label=_("收到的材料"), coerce=int, choices=())
    received_on = DayField(label=_("收到日期"), **DATE)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_ids"].choices = [(d.pk, d.name) for d in documents if d.received_on is None]
        self.fields["document_ids"].widget = forms.CheckboxSelectMultiple(choices=self.fields["document_ids"].choices)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    resolved_on = DayField(label=_("办结日期"), **DATE)


class FeedbackForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    feedback = forms.CharField(label=_("回访意见"), required=False, max_length=300)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)
