from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import DayField
from core.widgets import DatePicker
from training.models import Course


class EnrolForm(forms.Form):
    """The phone's 报名培训: one of the open courses of the person's area, and the day."""

    course = forms.ModelChoiceField(label=_("培训课程"), queryset=Course.objects.none(), widget=forms.RadioSelect)
    enrolled_on = DayField(label=_("报名日期"), widget=DatePicker())

    def __init__(self, *args, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courses is not None:
            self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = _course_label

    def course_count(self) -> int:
        return len(self.fields["course"].queryset)


def _course_label(course) -> str:
    return _("%(title)s（%(provider)s，%(start)s至%(end)s，余%(left)s个名额）") % {
        "title": course.title,
        "provider": course.provider.name,
        "start": course.starts_on.isoformat(),
        "end": course.ends_on.isoformat(),
        "left": course.places - course.taken,
    }
