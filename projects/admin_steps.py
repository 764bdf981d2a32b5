"""The step pages of a project on the station's desk: review (审核), delivery (交付) and a served
person's rating (评价); and the catalogue's import page. Thin: the form validates, the service
decides and refuses."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from projects.forms import DeliverForm, DeskEvaluationForm, ReviewForm
from projects.importing import HEADERS, catalogue_import
from projects.models import ProjectStatus
from projects.selectors import project_detail_for
from projects.services import evaluation_record, project_deliver, project_review

STEPS = {
    "review": (gettext_lazy("审核"), ProjectStatus.PROPOSED, ReviewForm, project_review),
    "deliver": (gettext_lazy("登记交付"), ProjectStatus.APPROVED, DeliverForm, project_deliver),
    "evaluate": (gettext_lazy("记录评价"), ProjectStatus.DELIVERED, DeskEvaluationForm, evaluation_record),
}
DATE_FIELDS = {"review": "reviewed_on", "deliver": "delivered_on", "evaluate": "evaluated_on"}


def offered_steps(project) -> list[tuple[str, str]]:
    """The step the project's status allows (the service still checks who may take it)."""
    return [(name, str(label)) for name, (label, status, _form, _service) in STEPS.items() if project.status == status]


def _form(step: str, project, data=None):
    _label, _status, form_class, _service = STEPS[step]
    initial = {DATE_FIELDS[step]: timezone.localdate()}
    if step == "evaluate":
        unrated = [d for d in project.deliveries.all() if not hasattr(d, "evaluation")]
        return form_class(data, initial=initial, deliveries=unrated)
    return form_class(data, initial=initial)


def step_page(model_admin, request, pk: int, step: str):
    if step not in STEPS or not request.user.has_perm("projects.view_serviceproject"):
        raise Http404
    project = project_detail_for(user=request.user, pk=pk)
    if project is None:
        raise Http404
    label, _status, _form_class, service = STEPS[step]
    form = _form(step, project, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(acting_user=request.user, **form.service_arguments(project))
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已记录。"))
            return redirect("admin:projects_serviceproject_change", project.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"{label}：{project.title}",
        "project": project,
        "form": form,
        "form_id": "step-form",
        "changelist_url": reverse("admin:projects_serviceproject_changelist"),
    }
    return TemplateResponse(request, "projects/admin/step.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("服务清单（.xlsx）"))


def import_page(model_admin, request):
    if not request.user.has_perm("projects.add_serviceitem"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = catalogue_import(uploaded_file=form.cleaned_data["file"], acting_user=request.user)
        except ApplicationError as error:
            form.add_error("file" if error.field == "file" else None, error.message)
        else:
            messages.success(request, _("服务清单已导入：新增 %(created)s 项，更新 %(updated)s 项。") % counts)
            return redirect("admin:projects_serviceitem_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("导入服务清单"),
        "form": form,
        "form_id": "import-form",
        "changelist_url": reverse("admin:projects_serviceitem_changelist"),
        "headers": HEADERS,
    }
    return TemplateResponse(request, "projects/admin/import.html", context)
