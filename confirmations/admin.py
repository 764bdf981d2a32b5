"""The station's view of the annual confirmation: who is confirmed, pending, overdue or
suspended, with actions to confirm in person, start a spot check and export the ledger."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from confirmations.exports import confirmations_ledger_response
from confirmations.filters import STATE_CHOICES, state_q
from confirmations.models import Confirmation, ConfirmationRound, SpotCheck, SubsidySuspension
from confirmations.selectors import suspended_q
from confirmations.services import confirmation_confirm, spot_check_record, spot_check_start
from core.errors import ApplicationError
from grids.admin_scoping import ScopedAdminMixin
from veterans import admin_filters as area_filters


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return STATE_CHOICES

    def queryset(self, request, queryset):
        return queryset.filter(state_q(self.value())) if self.value() in dict(STATE_CHOICES) else queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # every change goes through the services (the actions)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Confirmation)
class ConfirmationAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["veteran", "year", "state_display", "method", "confirmed_by", "confirmed_at", "deadline"]
    list_select_related = ["veteran", "round", "confirmed_by"]
    list_filter = [
        StateFilter,
        "year",
        "method",
        area_filters.DistrictFilter,
        area_filters.StreetFilter,
        area_filters.CommunityFilter,
        area_filters.GridFilter,
    ]
    search_fields = ["veteran__name"]
    actions = ["confirm_in_person", "start_spot_check", "export_ledger"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(suspended=suspended_q())

    @admin.display(description=gettext_lazy("确认截止日期"), ordering="round__deadline")
    def deadline(self, confirmation):
        return confirmation.round.deadline

    @admin.display(description=gettext_lazy("状态"))
    def state_display(self, confirmation):
        if confirmation.suspended:
            return _("补助已暂停")
        if confirmation.is_overdue(timezone.localdate()):
            return _("逾期未确认")
        return confirmation.get_status_display()

    def _report(self, request, done: int, refused: list[str]) -> None:
        if done:
            self.message_user(request, _("已办理 %(count)s 人。") % {"count": done}, messages.SUCCESS)
        for line in refused[:10]:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=gettext_lazy("本人来站确认（所选）"), permissions=["view"])
    def confirm_in_person(self, request, queryset):
        done, refused = 0, []
        for confirmation in queryset.select_related("veteran"):
            try:
                confirmation_confirm(
                    veteran=confirmation.veteran,
                    year=confirmation.year,
                    method="in_person",
                    acting_user=request.user,
                )
                done += 1
            except ApplicationError as error:
                refused.append(f"{confirmation.veteran.name}：{error.message}")
        self._report(request, done, refused)

    @admin.action(description=gettext_lazy("在所选已确认人员中抽查10%%"), permissions=["view"])
    def start_spot_check(self, request, queryset):
        years = set(queryset.values_list("year", flat=True))
        done, refused = 0, []
        for year in sorted(years):
            try:
                checks = spot_check_start(
                    year=year, acting_user=request.user, area_filter=Q(pk__in=queryset.values("pk"))
                )
                done += len(checks)
            except ApplicationError as error:
                refused.append(error.message)
        self._report(request, done, refused)

    @admin.action(description=gettext_lazy("导出所选：年度确认台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return confirmations_ledger_response(queryset, user=request.user, request=request)


class FailedForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("未通过原因"), max_length=300)


@admin.register(SpotCheck)
class SpotCheckAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["confirmation", "status", "checked_by", "checked_at", "reason"]
    list_select_related = ["confirmation__veteran", "checked_by"]
    list_filter = ["status", area_filters.StreetFilter, area_filters.CommunityFilter]
    search_fields = ["confirmation__veteran__name"]
    actions = ["record_passed", "record_failed"]

    @admin.action(description=gettext_lazy("抽查通过（所选）"), permissions=["view"])
    def record_passed(self, request, queryset):
        done = 0
        for check in queryset:
            try:
                spot_check_record(spot_check=check, passed=True, acting_user=request.user)
                done += 1
            except ApplicationError as error:
                self.message_user(request, f"{check}：{error.message}", messages.ERROR)
        if done:
            self.message_user(request, _("已登记 %(count)s 人抽查通过。") % {"count": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("抽查未通过（所选，填写原因）"), permissions=["view"])
    def record_failed(self, request, queryset):
        form = FailedForm(request.POST if request.POST.get("apply") else None)
        if form.is_valid():
            done = 0
            for check in queryset:
                try:
                    spot_check_record(
                        spot_check=check, passed=False, reason=form.cleaned_data["reason"], acting_user=request.user
                    )
                    done += 1
                except ApplicationError as error:
                    self.message_user(request, f"{check}：{error.message}", messages.ERROR)
            if done:
                message = _("已登记 %(count)s 人抽查未通过，定期补助已暂停。") % {"count": done}
                self.message_user(request, message, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("抽查未通过"),
            "form": form,
            "action": "record_failed",
            "queryset": [
                check.confirmation.veteran for check in queryset.select_related("confirmation__veteran")[:200]
            ],
            "count": queryset.count(),
            "opts": self.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return render(request, "veterans/admin/action_form.html", context)


@admin.register(SubsidySuspension)
class SubsidySuspensionAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["veteran", "reason", "suspended_on", "resumed_on"]
    list_select_related = ["veteran"]
    list_filter = ["reason", area_filters.StreetFilter, area_filters.CommunityFilter]
    search_fields = ["veteran__name"]


@admin.register(ConfirmationRound)
class ConfirmationRoundAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["district", "year", "deadline", "opened_by", "opened_at"]
