from django.contrib import admin, messages
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import ViewPart
from audit.selectors import read_part_label
from core.admin_forms import PlainNumbersAdminMixin, ServiceFormAdminMixin
from core.admin_paging import CappedCountPaginator
from core.errors import ApplicationError
from core.masking import mask_id_number, mask_phone
from grids.admin_scoping import ScopedAdminMixin
from grids.models import Grid
from grids.scoping import scope_queryset
from veterans import admin_filters as filters
from veterans.exports import LEDGERS, ledger_response
from veterans.forms import SOLDIER_FORM_FIELDS, MoveGridForm, RemoveForm, VeteranAdminForm
from veterans.models import FamilyMember, Honour, PriorityCare, Veteran, VeteranChange
from veterans.rules import missing_items
from veterans.selectors import may_see_readers, search_veterans, veteran_readers
from veterans.services import (
    family_member_delete,
    family_member_save,
    honour_delete,
    honour_save,
    veteran_mark_plaque_hung,
    veteran_move_grid,
    veteran_remove,
    veteran_set_priority_care,
)
from veterans.view_services import veteran_record_view
from veterans.views_import import import_urls

HISTORY_ROWS = 50
READER_ROWS = 50  # the readers section shows the newest; the API pages through all


class PriorityCareInline(admin.TabularInline):
    model = PriorityCare
    extra = 0
    fields = ["category", "disability_grade"]


class FamilyInline(PlainNumbersAdminMixin, admin.TabularInline):
    model = FamilyMember
    extra = 0
    fields = ["name", "relation", "phone", "is_military_family"]


class HonourInline(admin.TabularInline):
    model = Honour
    extra = 0
    fields = ["kind", "title", "awarded_year"]


def _export_action(ledger_key):
    ledger = LEDGERS[ledger_key]

    def action(modeladmin, request, queryset):
        return ledger_response(ledger_key, queryset, user=request.user, request=request)

    action.__name__ = f"export_{ledger_key}"
    action.short_description = gettext_lazy("导出所选：%(title)s") % {"title": ledger.title}
    action.allowed_permissions = ("view",)
    return action


@admin.register(Veteran)
class VeteranAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = VeteranAdminForm
    change_list_template = "veterans/admin/change_list.html"
    change_form_template = "veterans/admin/change_form.html"  # print links (core.print_links)
    inlines = [PriorityCareInline, FamilyInline, HonourInline]
    list_display = [
        "name",
        "gender",
        "age_display",
        "masked_id",
        "masked_phone",
        "grid",
        "person_kind",
        "veteran_type",
        "categories_display",
        "completeness_display",
        "glory_plaque_hung_on",
    ]
    list_select_related = ["grid"]
    list_filter = [
        filters.RemovedFilter,
        filters.DistrictFilter,
        filters.StreetFilter,
        filters.CommunityFilter,
        filters.GridFilter,
        "person_kind",
        "veteran_type",
        filters.PriorityCategoryFilter,
        "party_relation",
        filters.HardshipFilter,
        filters.KeyGroupFilter,
        filters.PlaqueFilter,
        filters.CompletenessFilter,
        filters.VisitStatusFilter,
        "life_status",
    ]
    search_fields = ["name"]  # the real search is search_veterans (indexed columns)
    search_help_text = gettext_lazy("输入姓名、拼音首字母、完整身份证号、身份证或手机号后4位、完整手机号")
    show_full_result_count = False
    paginator = CappedCountPaginator  # a whole city's count stops at 10,000 ("10,000+ 条")
    list_per_page = 50
    ordering = ["-id"]
    actions = [
        "mark_plaque_hung",
        "move_to_grid",
        "remove_records",
        *[_export_action(key) for key in LEDGERS],
    ]
    readonly_fields = ["completeness_report", "history_table", "area_display", "readers_table", "photo_shown"]

    fieldsets_identity = [
        "name",
        "gender",
        "ethnicity",
        "id_number",
        "birth_date",
        "phone",
        "residence_address",
        "household_registration",
        "life_status",
        "life_status_date",
    ]

    def get_fieldsets(self, request, obj=None):
        identity = list(self.fieldsets_identity)
        if obj is not None and not request.user.has_perm("veterans.reveal_identity"):
            identity = [f if f not in ("id_number", "phone") else f"{f}_masked" for f in identity]
        place = ["grid"] if obj is None else ["area_display"]
        photo = ["photo_shown", "photo_upload"] if obj is not None else ["photo_upload"]
        sets = [
            (_("身份信息"), {"fields": [*place, *identity, *photo]}),
            (_("人员类别"), {"fields": ["person_kind"]}),
            (
                _("服役信息（仅退役军人填写）"),
                {"fields": ["veteran_type", "branch", "enlistment_date", "discharge_date"]},
            ),
            (
                _("来源军人（遗属、军属填写）"),
                {
                    "fields": SOLDIER_FORM_FIELDS,
                    "description": _("烈士、因公牺牲、病故军人的遗属和现役军人家属，须填写其来源军人。"),
                },
            ),
            (
                _("优抚、党员与生活"),
                {
                    "fields": [
                        "receives_regular_subsidy",
                        "is_party_member",
                        "party_relation",
                        "employment",
                        "medical_insurance",
                        "skills",
                        "service_needs",
                        "serious_illness",
                        "minimum_living_allowance",
                        "extreme_poverty",
                        "registered_poor",
                        "glory_plaque_hung_on",
                        "paired_staff",
                        "notes",
                    ]
                },
            ),
        ]
        if obj is not None:
            sets.append((_("信息完整度"), {"fields": ["completeness_report"]}))
            sets.append((_("变更记录"), {"fields": ["history_table"], "classes": ["collapse"]}))
            if may_see_readers(request.user):
                obj.readers_user = request.user  # this request's own instance: the table checks the scope again
                sets.append((_("查阅记录"), {"fields": ["readers_table"], "classes": ["collapse"]}))
        return sets

    @admin.display(description=gettext_lazy("现有照片"))
    def photo_shown(self, veteran):
        if not veteran.photo:
            return _("未上传")
        return format_html(
            '<img src="{}" alt="" style="max-height: 160px">', reverse("veteran_photo", args=[veteran.pk])
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and not request.user.has_perm("veterans.reveal_identity"):
            fields += ["id_number_masked", "phone_masked"]
        return fields

    def get_queryset(self, request):
        # Removed records stay reachable (to view and restore); RemovedFilter hides them by default.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("priority_care", queryset=PriorityCare.objects.order_by("category")))
        )

    def get_search_results(self, request, queryset, search_term):
        return search_veterans(queryset, search_term), False

    def has_delete_permission(self, request, obj=None):
        return False  # removal is a status change with a reason (the 注销 action)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            veteran = self.get_object(request, object_id)
            if veteran is not None:
                # Every opening of the file is recorded, in one row; when the full numbers are on
                # the page it is a sensitive view (as the identity endpoint's).
                veteran_record_view(
                    veteran=veteran,
                    part=ViewPart.ADMIN,
                    acting_user=request.user,
                    request=request,
                    full_numbers=request.user.has_perm("veterans.reveal_identity"),
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return import_urls(self) + super().get_urls()

    # --- inlines through services -------------------------------------------------------------
    def save_formset(self, request, form, formset, change):
        veteran = form.instance
        # The admin's change message reads these; our history table has the detail.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is PriorityCare:
            rows = [
                (f.cleaned_data["category"], f.cleaned_data.get("disability_grade"))
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            veteran_set_priority_care(veteran=veteran, categories=rows, acting_user=request.user)
            return
        save, delete = {
            FamilyMember: (family_member_save, family_member_delete),
            Honour: (honour_save, honour_delete),
        }[formset.model]
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            existing = inline_form.instance if inline_form.instance.pk else None
            if inline_form.cleaned_data.get("DELETE"):
                if existing is not None:
                    key = "member" if formset.model is FamilyMember else "honour"
                    delete(**{key: existing}, acting_user=request.user)
                continue
            fields = {
                name: value
                for name, value in inline_form.cleaned_data.items()
                if name not in {"veteran", "id", "DELETE"}
            }
            key = "member" if formset.model is FamilyMember else "honour"
            save(veteran=veteran, acting_user=request.user, **{key: existing}, **fields)

    # --- columns -------------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("年龄"), ordering="-birth_date")
    def age_display(self, veteran):
        return veteran.age

    @admin.display(description=gettext_lazy("公民身份号码"))
    def masked_id(self, veteran):
        return mask_id_number(veteran.id_number)

    @admin.display(description=gettext_lazy("联系电话"))
    def masked_phone(self, veteran):
        return mask_phone(veteran.phone)

    id_number_masked = masked_id
    phone_masked = masked_phone

    @admin.display(description=gettext_lazy("优抚类别"))
    def categories_display(self, veteran):
        return "、".join(str(care) for care in veteran.priority_care.all())

    @admin.display(description=gettext_lazy("完整度"), ordering="completeness")
    def completeness_display(self, veteran):
        return f"{veteran.completeness}%"

    @admin.display(description=gettext_lazy("所在区域"))
    def area_display(self, veteran):
        return f"{veteran.street.name} / {veteran.community.name} / {veteran.grid.name}"

    @admin.display(description=gettext_lazy("查阅记录"))
    def readers_table(self, veteran):
        readers = veteran_readers(user=getattr(veteran, "readers_user", None), veteran_id=veteran.pk)
        if readers is None:
            return ""
        count = readers.count()
        header = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("时间"),
            _("查阅人"),
            _("IP地址"),
            _("查阅内容"),
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                    event.actor_username,
                    event.ip_address or "",
                    read_part_label(event),
                )
                for event in readers[:READER_ROWS]
            ),
        )
        summary = _("共 %(count)d 次查阅，显示最近 %(shown)d 次。") % {"count": count, "shown": min(count, READER_ROWS)}
        return format_html("<p>{}</p><table>{}{}</table>", summary, header, rows)

    @admin.display(description=gettext_lazy("完整度"))
    def completeness_report(self, veteran):
        missing = missing_items(veteran, family_count=veteran.family.count())
        if not missing:
            return format_html("<strong>{}%</strong>", veteran.completeness)
        return format_html(
            "<strong>{}%</strong>　{}{}",
            veteran.completeness,
            _("缺少："),
            "、".join(str(item.label) for item in missing),
        )

    @admin.display(description=gettext_lazy("变更记录"))
    def history_table(self, veteran):
        changes = VeteranChange.objects.filter(veteran=veteran).select_related("actor")[:HISTORY_ROWS]
        header = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("时间"),
            _("操作人"),
            _("类型"),
            _("字段"),
            _("原值"),
            _("新值"),
            _("原因"),
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(c.changed_at).strftime("%Y-%m-%d %H:%M"),
                    c.actor.get_full_name() or c.actor.get_username() if c.actor else _("系统"),
                    c.get_kind_display(),
                    field_label(c.field),
                    c.old_value,
                    c.new_value,
                    c.reason,
                )
                for c in changes
            ),
        )
        return format_html('<table class="veteran-history">{}{}</table>', header, rows)

    # --- actions -------------------------------------------------------------------------------
    @admin.action(description=gettext_lazy("标记光荣牌已悬挂（今天）"), permissions=["change"])
    def mark_plaque_hung(self, request, queryset):
        today = timezone.localdate()
        count = 0
        for veteran in queryset.filter(glory_plaque_hung_on__isnull=True):
            veteran_mark_plaque_hung(veteran=veteran, hung_on=today, acting_user=request.user)
            count += 1
        self.message_user(request, _("已标记 %(count)s 人光荣牌已悬挂。") % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("迁移到其他网格"), permissions=["change"])
    def move_to_grid(self, request, queryset):
        grids = scope_queryset(request.user, Grid.objects.select_related("community"))
        form = MoveGridForm(request.POST if "apply" in request.POST else None, grids=grids)
        if form.is_valid():
            moved, errors = 0, []
            for veteran in queryset:
                try:
                    veteran_move_grid(
                        veteran=veteran,
                        grid=form.cleaned_data["grid"],
                        acting_user=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    moved += 1
                except ApplicationError as error:
                    errors.append(f"{veteran.name}：{error.message}")
            self.message_user(request, _("已迁移 %(count)s 人。") % {"count": moved}, messages.SUCCESS)
            for error in errors:
                self.message_user(request, error, messages.WARNING)
            return None
        return self._intermediate(request, queryset, form, "move_to_grid", _("迁移到其他网格"))

    @admin.action(description=gettext_lazy("注销档案（需填写原因）"), permissions=["change"])
    def remove_records(self, request, queryset):
        form = RemoveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = 0
            for veteran in queryset.filter(removed_at__isnull=True):
                veteran_remove(veteran=veteran, reason=form.cleaned_data["reason"], acting_user=request.user)
                count += 1
            self.message_user(request, _("已注销 %(count)s 份档案。") % {"count": count}, messages.SUCCESS)
            return None
        return self._intermediate(request, queryset, form, "remove_records", _("注销档案"))

    def _intermediate(self, request, queryset, form, action, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "action": action,
            "queryset": queryset[:200],
            "count": queryset.count(),
            "opts": self.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return render(request, "veterans/admin/action_form.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_import"] = request.user.has_perm("veterans.import_veterans")
        extra_context["import_url"] = reverse("admin:veterans_import_start")
        return super().changelist_view(request, extra_context)


def field_label(field: str) -> str:
    special = {
        "priority_care": _("优抚类别"),
        "family": _("家庭成员"),
        "honours": _("立功受奖"),
        "grid": _("网格"),
        "source_soldier": _("来源军人"),
    }
    if field in special:
        return special[field]
    if not field:
        return ""
    try:
        return str(Veteran._meta.get_field(field).verbose_name)
    except Exception:  # an old history row of a field that no longer exists
        return field
