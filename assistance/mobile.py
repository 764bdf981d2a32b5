"""The grid worker's "report hardship" form, reached from the veteran card on /m/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.cases import case_open, case_step
from assistance.forms import CaseForm
from core.errors import ApplicationError
from veterans.selectors import veterans_for
from visits.selectors import unread_count


@login_required
@permission_required("assistance.add_hardshipcase", raise_exception=True)
def report_hardship(request, pk: int):
    veteran = veterans_for(user=request.user).select_related("grid").filter(pk=pk).first()
    if veteran is None:
        raise Http404
    form = CaseForm(request.POST or None, initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        submit_now = data.pop("submit_now")
        try:
            case = case_open(veteran=veteran, acting_user=request.user, **data)
            if submit_now:
                case_step(case=case, action="submit", acting_user=request.user)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已提交困难救助申请。") if submit_now else _("已保存困难救助草稿。"))
            return redirect("mobile:card", pk=veteran.pk)
    context = {"veteran": veteran, "form": form, "unread": unread_count(user=request.user)}
    return render(request, "mobile/hardship_form.html", context)
