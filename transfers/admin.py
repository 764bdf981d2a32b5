"""Station staff's 迁入迁出 ledger: transfers where either end is in the user's scope; started
from the add page (transfer_start), accepted or rejected from the change page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import status_badge
from core.admin_forms import ServiceFormAdminMixin
from core.errors import ApplicationError
from core.masking import mask_id_number
from grids.admin_scoping import ScopedRawIdWidget
from transfers.exports import move_out_response, transfers_ledger_response
from transfers.filters import Direction
from transfers.forms import DeathForm, MoveOutForm, RejectForm, TransferAdminForm
from transfers.models import Transfer, TransferStatus
from transfers.selectors import direction_q, transfer_received_by, transfers_for
from transfers.services import person_move_out, person_record_death, transfer_accept, transfer_reject
from veterans.selectors import veterans_for


class DirectionFilter(admin.SimpleListFilter):
    title = gettext_lazy("方向")
    parameter_name = "direction"

    def lookups(self, request, model_admin):
        return Direction.CHOICES

    def queryset(self, request, queryset):
        if self.value() in (Direction.IN, Direction.OUT):
            return queryset.filter(direction_q(request.user, self.value()))
        return queryset


VIEW_FIELDS = [
    "veteran_name", "id_number", "status", "reason", "from_area", "to_area", "started_by", "started_at",
    "decided_by", "decided_at", "reject_reason",
]  # fmt: skip


def _area(street, community, grid) -> str:
    return f"{street.name} {community.name} {grid.name}"


@admin.register(Transfer)
class TransferAdmin(ServiceFormAdminMixin, admin.ModelAdmin):
    form = TransferAdminForm
    change_form_template = "admin/transfers/transfer/change_form.html"
    change_list_template = "admin/transfers/transfer/change_list.html"
    list_display = [
        "veteran_name",
        "id_number",
        "from_area",
        "to_area",
        status_badge(Transfer),
        "started_at",
        "decided_at",
    ]
    list_filter = [DirectionFilter, "status", "started_at"]
    search_fields = ["veteran__name"]
    raw_id_fields = ["veteran"]
    date_hierarchy = "started_at"
    actions = ["export_ledger"]

    def get_queryset(self, request):
        return transfers_for(user=request.user)

    def get_fields(self, request, obj=None):
        return VIEW_FIELDS if obj else ["veteran", "to_grid", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return VIEW_FIELDS if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "veteran":  # only the people the user holds may be sent
            kwargs["queryset"] = veterans_for(user=request.user)
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, allowed=kwargs["queryset"], using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False  # deciding is a service step, from the buttons of the change page

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("姓名"), ordering="veteran__name")
    def veteran_name(self, transfer):
        return transfer.veteran.name

    @admin.display(description=gettext_lazy("公民身份号码"))
    def id_number(self, transfer):
        return mask_id_number(transfer.veteran.id_number)

    @admin.display(description=gettext_lazy("迁出地"))
    def from_area(self, transfer):
        return _area(transfer.from_street, transfer.from_community, transfer.from_grid)

    @admin.display(description=gettext_lazy("迁入地"))
    def to_area(self, transfer):
        return _area(transfer.to_street, transfer.to_community, transfer.to_grid)

    @admin.action(description=gettext_lazy("导出迁入迁出台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return transfers_ledger_response(queryset, user=request.user, request=request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        transfer = self.get_object(request, object_id)
        if (
            request.method == "POST"
            and transfer is not None
            and ("_accept" in request.POST or "_reject" in request.POST)
        ):
            return self._decide(request, transfer)
        if request.method == "POST":
            raise PermissionDenied
        extra_context = dict(extra_context or {})
        if transfer is not None:
            extra_context["can_decide"] = (
                transfer.status == TransferStatus.PENDING
                and request.user.has_perm("transfers.change_transfer")
                and transfer_received_by(user=request.user, transfer=transfer)
            )
            extra_context["reject_form"] = RejectForm()
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def _decide(self, request, transfer):
        try:
            if "_accept" in request.POST:
                transfer_accept(transfer=transfer, acting_user=request.user)
                self.message_user(request, _("已接收该档案。"), messages.SUCCESS)
            else:
                form = RejectForm(request.POST)
                reason = form.data.get("reject_reason", "")
                transfer_reject(transfer=transfer, reason=reason, acting_user=request.user)
                self.message_user(request, _("已退回该迁移。"), messages.SUCCESS)
        except ApplicationError as error:
            error.settle()
            self.message_user(request, error.message, messages.ERROR)
        return HttpResponseRedirect(request.path)

    def get_urls(self):
        move_out = self.admin_site.admin_view(self.move_out_view)
        record_death = self.admin_site.admin_view(self.record_death_view)
        return [
            path("move-out/", move_out, name="transfers_transfer_move_out"),
            path("record-death/", record_death, name="transfers_transfer_record_death"),
            *super().get_urls(),
        ]

    def record_death_view(self, request):
        """登记去世: the file closes with the date (transfers.services.person_record_death)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DeathForm(request.POST or None, veterans=veterans_for(user=request.user))
        if request.method == "POST" and form.is_valid():
            try:
                veteran = person_record_death(acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                error.settle()
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                self.message_user(request, _("已登记%(name)s去世。") % {"name": veteran.name}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:transfers_transfer_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("登记去世"),
            "intro": _("登记去世后档案关闭：状态改为已故，未完成的必访事项关闭，定期补助停止。"),
            "submit_label": _("登记去世"),
            "form": form,
            "changelist_url": reverse("admin:transfers_transfer_changelist"),
        }
        return TemplateResponse(request, "admin/transfers/transfer/person_form.html", context)

    def move_out_view(self, request):
        """迁出本系统: the file leaves as a .zip package and the person is marked 已迁出."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        veterans = veterans_for(user=request.user)
        form = MoveOutForm(request.POST or None, veterans=veterans)
        if request.method == "POST" and form.is_valid():
            veteran = form.cleaned_data["veteran"]
            try:
                package = person_move_out(acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                error.settle()
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return move_out_response(package, veteran=veteran)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("迁出本系统"),
            "intro": _(
                "迁往本系统以外的地区：导出档案包（含档案、变更记录、走访、救助、诉求及救助材料），"
                "并将该退役军人标记为已迁出。"
            ),
            "submit_label": _("导出档案包并标记迁出"),
            "form": form,
            "changelist_url": reverse("admin:transfers_transfer_changelist"),
        }
        return TemplateResponse(request, "admin/transfers/transfer/person_form.html", context)
