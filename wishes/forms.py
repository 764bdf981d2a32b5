"""Forms of the wish pages: they validate input; the services decide and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_forms import ServiceModelForm
from core.inputs import DayField
from core.numbers import MONEY
from core.widgets import DatePicker
from wishes.models import WISH_VALUE_LIMIT, DonorKind, MicroWish
from wishes.services import wish_collect

DATE = {"widget": DatePicker()}


class WishForm(forms.Form):
    title = forms.CharField(label=_("心愿"), max_length=100, help_text=_("如：一台新轮椅、与战友家属视频通话"))
    description = forms.CharField(label=_("具体情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The limits are the service's, so the phone shows the same message as every other way in.
    estimated_value = forms.DecimalField(
        label=_("预估价值（元）"),
        **MONEY,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0", "max": WISH_VALUE_LIMIT}),
    )


class ClaimForm(forms.Form):
    donor_kind = forms.ChoiceField(label=_("认领方类型"), choices=DonorKind.choices)
    donor_name = forms.CharField(label=_("认领方"), max_length=100, required=False)
    donor_phone = forms.CharField(label=_("认领方电话"), max_length=20, required=False)
    claimed_on = DayField(label=_("认领日期"), initial=timezone.localdate, **DATE)


class FulfilForm(forms.Form):
    fulfilled_on = DayField(label=_("实现日期"), initial=timezone.localdate, **DATE)
    note = forms.CharField(label=_("实现情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Checked by content and re-encoded by the service; the browser hint only narrows the picker.
    photo = forms.FileField(label=_("实现照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class WishAdminForm(ServiceModelForm):
    """Adding a wish in the admin is collecting it."""

    class Meta:
        model = MicroWish
        fields = ["veteran", "title", "description", "estimated_value"]

    def run_service(self):
        return wish_collect(acting_user=self.acting_user, **self.cleaned_data)
