"""The grid worker's 报名培训 on the phone (/m/training/): from the person's card, enrol them in
an open course of their area. Replayable: a form sent twice from the offline queue enrols once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from replays.replay import replayable
from training.forms import EnrolForm
from training.selectors import open_courses_for
from training.services import enrolment_create
from veterans.selectors import veterans_for
from visits.selectors import unread_count


@login_required
@permission_required("training.add_enrolment", raise_exception=True)
@replayable("training_enrolment")
def enrol(request, veteran_pk: int):
    veteran = veterans_for(user=request.user).select_related("grid").filter(pk=veteran_pk).first()
    if veteran is None:
        raise Http404
    today = timezone.localdate()
    courses = open_courses_for(user=request.user, veteran=veteran, today=today)
    form = EnrolForm(request.POST or None, courses=courses, initial={"enrolled_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = enrolment_create(veteran=veteran, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            text = _("已为%(name)s报名“%(title)s”。") % {"name": veteran.name, "title": enrolment.course.title}
            messages.success(request, text)
            return redirect("mobile:card", pk=veteran.pk)
    context = {"veteran": veteran, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "mobile/training_enrol.html", context)
