"""The station's pairing pages: pairs (started, corrected, ended through the services, with their
contacts and gifts added inline), the contacts and gifts as lists of their own (the dashboard's
yearly figures open them), and the coverage list of living people, paired or not."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from core.admin_filters import FilterSetListFilter
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from core.masking import mask_phone
from grids.admin_scoping import ScopedAdminMixin
from pairing.exports import pairs_ledger_response
from pairing.filters import KEY_GROUP_CHOICES, CoverageFilter, PairFilter
from pairing.models import CoveragePerson, Pair, PairContact, PairGift
from pairing.selectors import living_q
from pairing.services import pair_contact_record, pair_end, pair_gift_record, pair_start, pair_update
from veterans import admin_filters as area_filters

AREA_FILTERS = [
    area_filters.DistrictFilter,
    area_filters.StreetFilter,
    area_filters.CommunityFilter,
    area_filters.GridFilter,
]


def _through_pair(filter_class):
    """An area filter for rows that hang from a pair (contacts, gifts): same parameter, the
    pair's area key."""

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"pair__{self.parameter_name}_id": self.value()})
        return queryset

    return type(f"Pair{filter_class.__name__}", (filter_class,), {"queryset": queryset})


PAIR_AREA_FILTERS = [_through_pair(f) for f in AREA_FILTERS]


class PairKeyGroupFilter(FilterSetListFilter):
    title = gettext_lazy("重点群体")
    parameter_name = "key_group"
    filterset_class = PairFilter
    options = {value: (label, {"key_group": value}) for value, label in KEY_GROUP_CHOICES}


class PairAddForm(ServiceModelForm):
    class Meta:
        model = Pair
        fields = [
            "veteran",
            "partner_kind",
            "partner_name",
            "partner_user",
            "partner_organisation",
            "contact_phone",
            "started_on",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_name"].required = False  # taken from the account when one is chosen
        self.fields["partner_name"].help_text = gettext_lazy("选择结对人账号时可不填")
        if "partner_user" in self.fields:
            self.fields["partner_user"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def run_service(self):
        return pair_start(acting_user=self.acting_user, **self.cleaned_data)


class PairChangeForm(ServiceModelForm):
    """Correct the partner's details, or end the pair by giving its end date and reason."""

    new_phone = forms.CharField(
        label=gettext_lazy("新联系电话"), required=False, max_length=20, help_text=gettext_lazy("不修改请留空")
    )

    class Meta:
        model = Pair
        fields = ["partner_name", "partner_organisation", "note", "ended_on", "end_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = Pair.objects.get(pk=self.instance.pk) if self.instance.pk else None

    def run_service(self):
        data = self.cleaned_data
        pair = pair_update(
            pair=self.original,
            partner_name=data["partner_name"],
            partner_organisation=data["partner_organisation"],
            note=data["note"],
            contact_phone=data["new_phone"] or None,
            acting_user=self.acting_user,
        )
        if data.get("ended_on") and pair.active:
            pair = pair_end(
                pair=pair, ended_on=data["ended_on"], end_reason=data["end_reason"], acting_user=self.acting_user
            )
        return pair


class _InlineServiceForm(ServiceModelForm):
    """A new contact or gift of the pair, written (and checked, in the dry run) by its service."""

    service = None
    fields_sent: tuple[str, ...] = ()

    def run_service(self):
        values = {name: self.cleaned_data[name] for name in self.fields_sent}
        return type(self).service(pair=self.instance.pair, acting_user=self.acting_user, **values)


class ContactForm(_InlineServiceForm):
    service = staticmethod(pair_contact_record)
    fields_sent = ("contacted_on", "way", "note")

    class Meta:
        model = PairContact
        fields = ["contacted_on", "way", "note"]


class GiftForm(_InlineServiceForm):
    service = staticmethod(pair_gift_record)
    fields_sent = ("given_on", "description", "value")

    class Meta:
        model = PairGift
        fields = ["given_on", "description", "value"]


class _AddOnlyInline(admin.TabularInline):
    """Rows already recorded are shown read-only; new ones go through the service."""

    extra = 1
    can_delete = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"acting_user": request.user})
        return formset

    def has_change_permission(self, request, obj=None):
        return False


class ContactInline(_AddOnlyInline):
    model = PairContact
    form = ContactForm
    fields = ["contacted_on", "way", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]


class GiftInline(_AddOnlyInline):
    model = PairGift
    form = GiftForm
    fields = ["given_on", "description", "value", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(Pair)
class PairAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    list_display = [
        "veteran",
        "area_display",
        "partner_kind",
        "partner_name",
        "partner_organisation",
        "phone_masked",
        "started_on",
        "ended_on",
        "active",
    ]
    list_select_related = ["veteran", "community", "grid"]
    list_filter = ["partner_kind", "active", PairKeyGroupFilter, *AREA_FILTERS]
    search_fields = ["veteran__name", "partner_name", "partner_organisation"]
    raw_id_fields = ["veteran"]
    date_hierarchy = "started_on"
    actions = ["export_ledger"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = PairChangeForm if obj else PairAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return PairAddForm.Meta.fields
        shown = ["veteran", "partner_kind", "partner_user", "started_on", "phone_masked", "active"]
        return [*shown, "partner_name", "partner_organisation", "new_phone", "note", "ended_on", "end_reason"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = ["veteran", "partner_kind", "partner_user", "started_on", "phone_masked", "active"]
        return fixed + (["ended_on", "end_reason"] if not obj.active else [])

    def get_inlines(self, request, obj):
        return [ContactInline, GiftInline] if obj else []

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form.instance.pk is None and inline_form.has_changed() and inline_form.cleaned_data:
                inline_form.instance.pair = form.instance
                inline_form.run_service()

    def has_delete_permission(self, request, obj=None):
        return False  # a pair is ended, never deleted: its contacts are the record of the work

    @admin.display(description=gettext_lazy("所在区域"))
    def area_display(self, pair):
        return f"{pair.community.name} / {pair.grid.name}"

    @admin.display(description=gettext_lazy("联系电话"))
    def phone_masked(self, pair):
        return mask_phone(pair.contact_phone)

    @admin.action(description=gettext_lazy("导出所选：结对帮扶台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return pairs_ledger_response(queryset, user=request.user, request=request)


class _ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PairContact)
class PairContactAdmin(_ReadOnlyAdmin):
    list_display = ["contacted_on", "person", "partner", "way", "note", "recorded_by"]
    list_select_related = ["pair__veteran", "recorded_by"]
    list_filter = ["way", "pair__partner_kind", *PAIR_AREA_FILTERS]
    search_fields = ["pair__veteran__name", "pair__partner_name"]
    date_hierarchy = "contacted_on"

    @admin.display(description=gettext_lazy("服务对象"), ordering="pair__veteran__name")
    def person(self, contact):
        return contact.pair.veteran.name

    @admin.display(description=gettext_lazy("结对人"))
    def partner(self, row):
        return row.pair.partner_display


@admin.register(PairGift)
class PairGiftAdmin(_ReadOnlyAdmin):
    list_display = ["given_on", "person", "partner", "description", "value"]
    list_select_related = ["pair__veteran"]
    list_filter = ["pair__partner_kind", *PAIR_AREA_FILTERS]
    search_fields = ["pair__veteran__name", "pair__partner_organisation", "description"]
    date_hierarchy = "given_on"

    person = PairContactAdmin.person
    partner = PairContactAdmin.partner


class PairedFilter(FilterSetListFilter):
    title = gettext_lazy("结对情况")
    parameter_name = "paired"
    filterset_class = CoverageFilter
    options = {
        "yes": (gettext_lazy("已结对"), {"paired": "true"}),
        "no": (gettext_lazy("未结对"), {"paired": "false"}),
    }


class CoverageKeyGroupFilter(FilterSetListFilter):
    title = gettext_lazy("重点群体")
    parameter_name = "key_group"
    filterset_class = CoverageFilter
    options = {value: (label, {"key_group": value}) for value, label in KEY_GROUP_CHOICES}


@admin.register(CoveragePerson)
class CoveragePersonAdmin(_ReadOnlyAdmin):
    """The living people of the area, paired or not: the coverage figures and the workbench's
    to-do open this list (the veteran ledger itself stays veterans' page)."""

    list_display = ["name", "area_display", "birth_date", "pairs_display", "file_link"]
    list_select_related = ["community", "grid"]
    list_filter = [PairedFilter, CoverageKeyGroupFilter, *AREA_FILTERS]
    search_fields = ["name", "name_pinyin", "name_initials"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(living_q()).prefetch_related("pairs")

    @admin.display(description=gettext_lazy("所在区域"))
    def area_display(self, person):
        return f"{person.community.name} / {person.grid.name}"

    @admin.display(description=gettext_lazy("结对中"))
    def pairs_display(self, person):
        return "、".join(
            f"{pair.get_partner_kind_display()}：{pair.partner_display}" for pair in person.pairs.all() if pair.active
        )

    @admin.display(description=gettext_lazy("档案"))
    def file_link(self, person):
        url = reverse("admin:veterans_veteran_change", args=[person.pk])
        return format_html('<a href="{}">{}</a>', url, gettext_lazy("查看档案"))
