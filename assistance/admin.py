from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assistance.exports import cases_ledger_response, fund_statement_response
from assistance.forms import CaseOpenForm, CaseTypeForm, FundForm, IncomeForm, ReverseForm
from assistance.models import CaseStep, CaseType, FundEntry, HardshipCase, ReliefFund
from assistance.rules import MONEY_RULES, STEPS, sets_money_rules
from assistance.selectors import WAITING_LABELS, funds_to_pay, queue_stages_for, waiting_q
from assistance.services import INCOME, cases_step_batch, fund_reverse
from core.admin import ReadOnlyAdmin, money_column, status_badge
from core.admin_forms import ServiceFormAdminMixin
from core.errors import ApplicationError
from grids.admin_scoping import ScopedAdminMixin
from veterans import admin_filters as area_filters


@admin.register(CaseType)
class CaseTypeAdmin(ServiceFormAdminMixin, admin.ModelAdmin):
    """Shared by every district: stations may add a type, the bureau keeps the amount rules."""

    form = CaseTypeForm
    list_display = ["name", *[money_column(CaseType, field) for field in MONEY_RULES]]

    def get_readonly_fields(self, request, obj=None):
        if sets_money_rules(request.user):
            return []
        return list(MONEY_RULES) if obj else ["station_limit"]

    def has_delete_permission(self, request, obj=None):
        return False


class FundEntryInline(admin.TabularInline):
    model = FundEntry
    fk_name = "fund"
    extra = 0
    fields = [
        "created_at",
        "kind",
        money_column(FundEntry, "amount"),
        money_column(FundEntry, "balance_after"),
        "donor_name",
        "receipt_no",
        "reference",
        "created_by",
        "receipt_link",
    ]
    readonly_fields = fields
    can_delete = False
    ordering = ["-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    @admin.display(description=gettext_lazy("收据与去向"))
    def receipt_link(self, entry):
        return _receipt_link(entry)


@admin.register(ReliefFund)
class ReliefFundAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """Funds and their ledgers; money moves only through the services (append-only entries)."""

    form = FundForm
    list_display = ["name", "level", "owner_display", money_column(ReliefFund, "balance")]
    list_select_related = ["district", "street"]
    inlines = [FundEntryInline]
    actions = ["export_statement"]

    def get_readonly_fields(self, request, obj=None):
        return ["name", "level", "district", "street", "balance"] if obj else []

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # a new fund has no ledger yet

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("导出所选：基金收支明细"), permissions=["view"])
    def export_statement(self, request, queryset):
        entries = FundEntry.objects.filter(fund__in=queryset)
        return fund_statement_response(entries, user=request.user, request=request)

    @admin.display(description=gettext_lazy("所属区域"))
    def owner_display(self, fund):
        return str(fund.owner_area)


@admin.register(FundEntry)
class FundEntryAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """The ledger across funds: money in is added here; entries are never edited, only reversed."""

    form = IncomeForm
    list_display = [
        "created_at",
        "fund",
        "kind",
        money_column(FundEntry, "amount"),
        money_column(FundEntry, "balance_after"),
        "donor_name",
        "receipt_no",
        "reference",
        "created_by",
        "receipt_link",
    ]
    list_select_related = ["fund", "created_by"]
    list_filter = ["kind", "fund"]
    search_fields = ["donor_name", "receipt_no", "reference"]
    date_hierarchy = "created_at"
    actions = ["reverse_entries"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in FundEntry._meta.fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        if obj.kind == "donation":
            return redirect("assistance:receipt", pk=obj.pk)  # straight to printing the receipt
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=gettext_lazy("收据与去向"))
    def receipt_link(self, entry):
        return _receipt_link(entry)

    @admin.action(description=gettext_lazy("冲正所选分录"), permissions=["add"])
    def reverse_entries(self, request, queryset):
        form = ReverseForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for entry in queryset.select_related("fund"):
                try:
                    fund_reverse(entry=entry, reason=form.cleaned_data["reason"], acting_user=request.user)
                    done += 1
                except ApplicationError as error:
                    self.message_user(request, f"{entry}：{error.message}", messages.WARNING)
            self.message_user(request, _("已冲正 %(count)s 笔。") % {"count": done}, messages.SUCCESS)
            return None
        return _action_form(self, request, queryset, form, "reverse_entries", _("冲正所选分录"))


def _receipt_link(entry):
    if entry.kind not in INCOME:
        return ""
    return format_html('<a href="{}">{}</a>', reverse("assistance:receipt", args=[entry.pk]), _("查看"))


def _report_batch(modeladmin, request, report, done_message: str) -> None:
    for case, message in report.refused[:20]:
        modeladmin.message_user(request, f"{case}：{message}", messages.WARNING)
    if len(report.refused) > 20:
        more = len(report.refused) - 20
        modeladmin.message_user(request, _("另有 %(count)s 件未能办理。") % {"count": more}, messages.WARNING)
    modeladmin.message_user(request, done_message % {"count": len(report.done)}, messages.SUCCESS)


def _action_form(modeladmin, request, queryset, form, action: str, title: str):
    """The intermediate page of an admin action that needs a few fields (fund, reason)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "action": action,
        "queryset": queryset[:200],
        "count": queryset.count(),
        "opts": modeladmin.model._meta,
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
    }
    return render(request, "veterans/admin/action_form.html", context)


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    extra = 0
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class WaitingForMeFilter(admin.SimpleListFilter):
    """待我办理: the cases waiting for this user's step, as counted on the workbench."""

    title = gettext_lazy("待我办理")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [(stage, WAITING_LABELS[stage]) for stage in queue_stages_for(request.user)]

    def queryset(self, request, queryset):
        if self.value() in queue_stages_for(request.user):
            return queryset.filter(waiting_q(request.user, self.value()))
        return queryset


class PayForm(forms.Form):
    fund = forms.ModelChoiceField(label=gettext_lazy("支出基金"), queryset=ReliefFund.objects.none())
    comment = forms.CharField(label=gettext_lazy("意见"), required=False)


def _step_action(action_name: str):
    step = STEPS[action_name]

    def action(modeladmin, request, queryset):
        report = cases_step_batch(cases=queryset, action=action_name, acting_user=request.user)
        _report_batch(modeladmin, request, report, _("已处理 %(count)s 件。"))

    action.__name__ = f"step_{action_name}"
    action.short_description = step.label
    action.allowed_permissions = ("view",)
    return action


CASE_AMOUNTS = {field: money_column(HardshipCase, field) for field in ("amount_requested", "amount_approved")}


@admin.register(HardshipCase)
class HardshipCaseAdmin(ScopedAdminMixin, ServiceFormAdminMixin, ReadOnlyAdmin):
    """The station's and bureau's queue: cases of their area, moved on by workflow actions."""

    list_display = [
        "veteran",
        "desk_link",
        "case_type",
        status_badge(HardshipCase),
        money_column(HardshipCase, "amount_requested"),
        money_column(HardshipCase, "amount_approved"),
        "reported_on",
        "grid",
        "days_to_payment",
    ]
    list_select_related = ["veteran", "case_type", "grid"]
    list_filter = [
        WaitingForMeFilter,
        "status",
        "case_type",
        area_filters.DistrictFilter,
        area_filters.StreetFilter,
        area_filters.CommunityFilter,
        area_filters.GridFilter,
        "special",
    ]
    search_fields = ["veteran__name"]
    inlines = [CaseStepInline]
    raw_id_fields = ["veteran", "visit"]

    def has_add_permission(self, request):
        return request.user.has_perm("assistance.add_hardshipcase")

    def get_readonly_fields(self, request, obj=None):
        return list(CASE_AMOUNTS.values()) if obj else []

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return fields
        # A case is only read here: its amounts as ¥, in their own places.
        return [CASE_AMOUNTS.get(field, field) for field in fields if not callable(field)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:  # a new case through case_open; an existing one is only read here
            kwargs["form"] = CaseOpenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    actions = [*[_step_action(name) for name in ("review", "approve", "close")], "pay_cases", "export_ledger"]

    @admin.display(description=gettext_lazy("获知到发放天数"))
    def days_to_payment(self, case):
        return case.days_to_payment

    @admin.display(description=gettext_lazy("办理"))
    def desk_link(self, case):
        return format_html('<a href="{}">{}</a>', reverse("assistance:case", args=[case.pk]), _("办理页"))

    @admin.action(description=gettext_lazy("导出所选：救助发放台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return cases_ledger_response(queryset, user=request.user, request=request)

    @admin.action(description=gettext_lazy("登记发放"), permissions=["view"])
    def pay_cases(self, request, queryset):
        form = PayForm(request.POST if "apply" in request.POST else None)
        # Only funds that may pay every selected case; the service refuses any other case by case.
        form.fields["fund"].queryset = funds_to_pay(user=request.user, cases=queryset)
        if form.is_valid():
            report = cases_step_batch(
                cases=queryset,
                action="pay",
                acting_user=request.user,
                fund=form.cleaned_data["fund"],
                comment=form.cleaned_data["comment"],
            )
            _report_batch(self, request, report, _("已发放 %(count)s 件。"))
            return None
        return _action_form(self, request, queryset, form, "pay_cases", _("登记发放"))
