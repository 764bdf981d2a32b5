"""Forms of transfers: they validate input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.admin_forms import ServiceModelForm
from core.inputs import DayField
from core.widgets import DatePicker
from grids.models import Grid
from transfers.models import Transfer
from transfers.services import transfer_start


class TargetGridField(forms.ModelChoiceField):
    """Any grid of the installation may receive a file: outside the user's scope only its name
    (district, street, community, grid) is shown, nothing about the people in it."""

    def label_from_instance(self, grid):
        return f"{grid.district.name} {grid.street.name} {grid.community.name} {grid.name}"


def target_grid_field() -> TargetGridField:
    queryset = Grid.objects.select_related("district", "street", "community").order_by(
        "district__code", "street__code", "community__code", "code"
    )
    return TargetGridField(queryset=queryset, label=_("迁入网格"))


class TransferAdminForm(ServiceModelForm):
    """Adding a transfer in the admin is starting it."""

    class Meta:
        model = Transfer
        fields = ["veteran", "to_grid", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_grid"] = target_grid_field()

    def run_service(self):
        return transfer_start(acting_user=self.acting_user, **self.cleaned_data)


class RejectForm(forms.Form):
    reject_reason = forms.CharField(label=_("退回原因"), max_length=200)


class MoveOutForm(forms.Form):
    """A move to a district outside this installation; the person is chosen among the user's."""

    veteran = forms.ModelChoiceField(queryset=None, label=_("退役军人"), widget=forms.NumberInput)
    destination = forms.CharField(label=_("迁往地区"), max_length=100, help_text=_("如：四川省成都市武侯区"))
    moved_on = DayField(label=_("迁出日期"), widget=DatePicker())

    def __init__(self, *args, veterans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["veteran"].queryset = veterans
        self.fields["veteran"].help_text = _("档案编号（在退役军人列表中可见）")


class DeathForm(forms.Form):
    """登记去世: the person is chosen among the user's."""

    veteran = forms.ModelChoiceField(queryset=None, label=_("退役军人"), widget=forms.NumberInput)
    died_on = DayField(label=_("去世日期"), widget=DatePicker())

    def __init__(self, *args, veterans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["veteran"].queryset = veterans
        self.fields["veteran"].help_text = _("档案编号（在退役军人列表中可见）")
