"""The stations' review queue: pending pairs whose two files both lie in the user's area, the
files side by side (numbers masked), and the decisions 合并 / 不是同一人 / 撤销合并."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import status_badge
from core.errors import ApplicationError
from core.masking import mask_id_number, mask_phone
from merging.forms import DecisionForm
from merging.models import DuplicatePair, MatchReason, PairStatus
from merging.selectors import pairs_for
from merging.services import pair_merge, pair_reject, pair_undo

SIDE_BY_SIDE = [
    (gettext_lazy("姓名"), lambda v: v.name),
    (gettext_lazy("性别"), lambda v: v.get_gender_display()),
    (gettext_lazy("出生日期"), lambda v: v.birth_date),
    (gettext_lazy("公民身份号码"), lambda v: mask_id_number(v.id_number)),
    (gettext_lazy("联系电话"), lambda v: mask_phone(v.phone) if v.phone else ""),
    (gettext_lazy("现居住地址"), lambda v: v.residence_address),
    (gettext_lazy("网格"), lambda v: v.grid),
    (gettext_lazy("退役类别"), lambda v: v.get_veteran_type_display()),
    (gettext_lazy("建档时间"), lambda v: v.created_at),
    (gettext_lazy("注销原因"), lambda v: v.removed_reason),
]


@admin.register(DuplicatePair)
class DuplicatePairAdmin(admin.ModelAdmin):
    list_display = ["number", "first_name", "second_name", "reasons_shown", status_badge(DuplicatePair), "found_at"]
    list_filter = ["status"]  # the same choices as merging.filters.PairFilter
    list_select_related = ["first", "second"]

    def get_queryset(self, request):
        return pairs_for(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("编号"), ordering="pk")
    def number(self, pair):
        return pair.pk

    @admin.display(description=gettext_lazy("档案一"))
    def first_name(self, pair):
        return f"{pair.first.name}（{mask_id_number(pair.first.id_number)}）"

    @admin.display(description=gettext_lazy("档案二"))
    def second_name(self, pair):
        return f"{pair.second.name}（{mask_id_number(pair.second.id_number)}）"

    @admin.display(description=gettext_lazy("疑似原因"))
    def reasons_shown(self, pair):
        return "、".join(str(MatchReason(reason).label) for reason in pair.reasons)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pair = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        if pair is None or not self.has_view_permission(request, pair):
            raise Http404
        can_decide = self.has_change_permission(request, pair)
        form = DecisionForm(request.POST or None, pair=pair)
        if request.method == "POST" and can_decide and form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if "merge" in request.POST:
                    if not form.cleaned_data["survivor"]:
                        raise ApplicationError(_("请选择保留哪份档案。"), field="survivor")
                    pair_merge(
                        pair=pair, survivor_id=form.cleaned_data["survivor"], reason=reason, acting_user=request.user
                    )
                    self.message_user(request, _("已合并。"), messages.SUCCESS)
                elif "reject" in request.POST:
                    pair_reject(pair=pair, reason=reason, acting_user=request.user)
                    self.message_user(request, _("已标记为不是同一人。"), messages.SUCCESS)
                elif "undo" in request.POST:
                    pair_undo(pair=pair, reason=reason, acting_user=request.user)
                    self.message_user(request, _("已撤销合并。"), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:merging_duplicatepair_changelist"))
            except ApplicationError as error:
                form.add_error(None, error.message)
        rows = [(label, shown(pair.first), shown(pair.second)) for label, shown in SIDE_BY_SIDE]
        context = {
            **self.admin_site.each_context(request),
            "title": _("疑似重复档案"),
            "opts": self.model._meta,
            "pair": pair,
            "rows": rows,
            "form": form,
            "can_decide": can_decide,
            "can_merge": pair.status in (PairStatus.PENDING, PairStatus.UNDONE),
            "can_undo": pair.status == PairStatus.MERGED,
            "reasons": self.reasons_shown(pair),
        }
        return render(request, "merging/admin/pair.html", context)
