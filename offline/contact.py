"""更新联系信息 on the phone: the worker corrects a phone number, an address or the needs,
online or from the queue. The form carries the file's version and the values it showed, so
a change that meets a newer one on the server becomes a conflict, never an overwrite."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.normalize import plain_phone
from grids.models import phone_validator
from grids.scoping import scope_queryset
from offline.models import ConflictStatus, FieldConflict
from offline.selectors import file_version
from offline.services import field_conflict_resolve, veteran_phone_update
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.selectors import unread_count


class ContactForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    phone = forms.CharField(
        label=gettext_lazy("新的联系电话"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("不修改请留空"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    residence_address = forms.CharField(label=gettext_lazy("现居住地址"), required=False, max_length=200)
    service_needs = forms.CharField(
        label=gettext_lazy("服务需求"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    shown_residence_address = forms.CharField(widget=forms.HiddenInput, required=False)
    shown_service_needs = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_phone(self):
        phone = plain_phone(self.cleaned_data["phone"])
        if phone:
            phone_validator(phone)
        return phone

    def changes(self) -> dict:
        """Only what the worker changed: a field left as it was shown is no change."""
        data = self.cleaned_data
        found = {"phone": data["phone"]} if data["phone"] else {}
        for field in ("residence_address", "service_needs"):
            if data[field].strip() != data[f"shown_{field}"].strip():
                found[field] = data[field].strip()
        return found


def _person_or_404(request, pk: int):
    if not request.user.has_perm("veterans.change_veteran"):
        raise PermissionDenied
    veteran = veterans_for(user=request.user).filter(pk=pk).first()
    if veteran is None:
        raise Http404
    return veteran


def _open_conflicts(request, veteran):
    queryset = FieldConflict.objects.filter(veteran=veteran, status=ConflictStatus.OPEN)
    return list(scope_queryset(request.user, queryset).select_related("submitted_by"))


@login_required
@replayable("contact")
def contact(request, pk: int):
    veteran = _person_or_404(request, pk)
    shown = {"residence_address": veteran.residence_address, "service_needs": veteran.service_needs}
    initial = {"base_version": file_version(veteran.pk), **shown, **{f"shown_{k}": v for k, v in shown.items()}}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conflicts = veteran_phone_update(
                veteran=veteran,
                changes=form.changes(),
                base_version=form.cleaned_data["base_version"],
                acting_user=request.user,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if conflicts:
                names = "、".join(c.field_label for c in conflicts)
                messages.warning(
                    request, _("%(fields)s 已被他人修改，未覆盖：已交服务站处理，也可在此选择。") % {"fields": names}
                )
            else:
                messages.success(request, _("已更新联系信息。"))
            return redirect("offline:contact", pk=veteran.pk) if conflicts else redirect("mobile:card", pk=veteran.pk)
    context = {
        "veteran": veteran,
        "form": form,
        "conflicts": _open_conflicts(request, veteran),
        "unread": unread_count(user=request.user),
    }
    return TemplateResponse(request, "offline/contact.html", context)


@login_required
@require_POST
def resolve(request, pk: int):
    """The worker (or anyone who may edit the file) chooses on the phone; out of scope is a 404."""
    if not request.user.has_perm("offline.change_fieldconflict"):
        raise PermissionDenied
    queryset = FieldConflict.objects.filter(pk=pk, status=ConflictStatus.OPEN).select_related("veteran")
    conflict = scope_queryset(request.user, queryset).first()
    if conflict is None:
        raise Http404
    try:
        field_conflict_resolve(
            conflict=conflict, take_submitted=request.POST.get("take") == "submitted", acting_user=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已处理信息冲突。"))
    return redirect("offline:contact", pk=conflict.veteran_id)
