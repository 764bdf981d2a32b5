"""The grid worker's 就业登记 on /m/employment/: from the person's card, record the status, skills
and wishes found on a visit. Replayable: a form sent twice from the offline queue acts once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from employment.forms import VisitFindingsForm
from employment.models import EmploymentProfile
from employment.services import employment_visit_record
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.selectors import unread_count

PROFILE_FIELDS = ("status", "workplace", "skills", "wants_job", "wants_training", "wants_business", "wish_note")


@login_required
@permission_required("employment.add_statuschange", raise_exception=True)
@replayable("employment")
def visit_findings(request, veteran_pk: int):
    person = veterans_for(user=request.user).select_related("grid").filter(pk=veteran_pk).first()
    if person is None:
        raise Http404
    profile = EmploymentProfile.objects.filter(person=person).first()
    initial = {"changed_on": timezone.localdate()}
    if profile is not None:
        initial |= {name: getattr(profile, name) for name in PROFILE_FIELDS}
    form = VisitFindingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            employment_visit_record(person=person, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已记录%(name)s的就业情况。") % {"name": person.name})
            return redirect("mobile:card", pk=person.pk)
    context = {"veteran": person, "profile": profile, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "mobile/employment_form.html", context)
