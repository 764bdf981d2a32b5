"""The station's and the center's pages: the district's service alliance (teams with their
volunteers), its providers with their figures, and the referral book with its ledgers."""

from django.contrib import admin
from django.db.models import Count, DecimalField, Q
from django.db.models.functions import Cast, NullIf
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeals.admin import NoteInline as HistoryInline
from core.admin import status_badge
from core.admin_filters import FilterSetListFilter
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from core.masking import mask_phone
from grids.admin_district_list import DistrictListAdmin
from grids.admin_scoping import ScopedAdminMixin
from referrals.exports import referrals_ledger_response, volunteers_ledger_response
from referrals.filters import STAGE_CHOICES, ReferralFilter
from referrals.models import Provider, Referral, ReferralNote, Volunteer, VolunteerTeam
from referrals.selectors import average_days_to_close, providers_with_figures
from referrals.services import provider_save, referral_make, team_save, volunteer_save
from veterans import admin_filters as area_filters

TEAM_FIELDS = ["district", "name", "kind", "leader_name", "leader_phone", "description", "active"]
VOLUNTEER_FIELDS = ["team", "name", "phone", "skills", "veteran", "active"]
PROVIDER_FIELDS = [
    "district", "name", "kind", "team", "services", "contact_name", "contact_phone", "address", "active",
]  # fmt: skip


class _ListRowForm(ServiceModelForm):
    """A row of the district's list, written by its service with the fields of the form."""

    fields_written: list[str] = []
    service = None
    keyword = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_pk = self.instance.pk  # the dry run gives the instance a pk; remember the truth

    def run_service(self):
        model = self._meta.model
        row = model(pk=self.original_pk, **{name: self.cleaned_data[name] for name in self.fields_written})
        return type(self).service(**{self.keyword: row}, acting_user=self.acting_user)


class TeamForm(_ListRowForm):
    fields_written, service, keyword = TEAM_FIELDS, staticmethod(team_save), "team"

    class Meta:
        model = VolunteerTeam
        fields = TEAM_FIELDS


class VolunteerForm(_ListRowForm):
    fields_written, service, keyword = VOLUNTEER_FIELDS, staticmethod(volunteer_save), "volunteer"

    class Meta:
        model = Volunteer
        fields = VOLUNTEER_FIELDS


class ProviderForm(_ListRowForm):
    fields_written, service, keyword = PROVIDER_FIELDS, staticmethod(provider_save), "provider"

    class Meta:
        model = Provider
        fields = PROVIDER_FIELDS


class VolunteerInline(ScopedAdminMixin, admin.TabularInline):
    model = Volunteer
    fields = ["name", "phone", "skills", "veteran", "active"]
    raw_id_fields = ["veteran"]
    extra = 1
    can_delete = False


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(DistrictListAdmin):
    form = TeamForm
    list_display = ["name", "kind", "district", "leader_name", "volunteer_count", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    inlines = [VolunteerInline]

    def get_queryset(self, request):
        active = Count("volunteers", filter=Q(volunteers__active=True))
        return super().get_queryset(request).annotate(volunteers_active=active)

    @admin.display(description=gettext_lazy("在册志愿者"), ordering="volunteers_active")
    def volunteer_count(self, team):
        return team.volunteers_active

    def save_formset(self, request, form, formset, change):
        """Volunteers of the team, each through volunteer_save (none is deleted: 在册 retires one)."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            volunteer = inline_form.instance
            for name in VolunteerInline.fields:
                setattr(volunteer, name, inline_form.cleaned_data.get(name))
            volunteer.team = form.instance
            volunteer_save(volunteer=volunteer, acting_user=request.user)


@admin.register(Volunteer)
class VolunteerAdmin(DistrictListAdmin):
    form = VolunteerForm
    list_display = ["name", "team", "masked_phone", "skills", "is_veteran", "active"]
    list_filter = ["team", "active"]
    list_select_related = ["team"]
    search_fields = ["name", "skills"]
    raw_id_fields = ["veteran"]
    actions = ["export_ledger"]

    @admin.display(description=gettext_lazy("联系电话"))
    def masked_phone(self, volunteer):
        return mask_phone(volunteer.phone)

    @admin.display(description=gettext_lazy("退役军人"), boolean=True)
    def is_veteran(self, volunteer):
        return volunteer.veteran_id is not None

    @admin.action(description=gettext_lazy("导出所选：志愿者台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return volunteers_ledger_response(queryset, user=request.user, request=request)


@admin.register(Provider)
class ProviderAdmin(DistrictListAdmin):
    """The district's list with each provider's figures, counted over the user's referrals."""

    form = ProviderForm
    list_display = [
        "name", "kind", "district", "contact_name", "contact_phone", "active",
        "received_link", "accepted", "closed", "average_days_display",
    ]  # fmt: skip
    list_filter = ["kind", "active"]
    search_fields = ["name", "services"]

    def get_queryset(self, request):
        return providers_with_figures(user=request.user)

    @admin.display(description=gettext_lazy("接收转介"), ordering="received")
    def received_link(self, provider):
        url = reverse("admin:referrals_referral_changelist") + f"?provider__id__exact={provider.pk}"
        return format_html('<a href="{}">{}</a>', url, provider.received)

    @admin.display(description=gettext_lazy("已接收"), ordering="accepted")
    def accepted(self, provider):
        return provider.accepted

    @admin.display(description=gettext_lazy("已办结"), ordering="closed")
    def closed(self, provider):
        return provider.closed

    # Sorted in the database by the quotient the column shows, in exact decimals (the total cast
    # first, so whole days are not divided as integers).
    @admin.display(
        description=gettext_lazy("平均办结天数"),
        ordering=Cast("days_to_close_total", DecimalField(max_digits=14, decimal_places=4)) / NullIf("closed", 0),
    )
    def average_days_display(self, provider):
        average = average_days_to_close(provider)
        return "—" if average is None else average


class ReferralForm(ServiceModelForm):
    class Meta:
        model = Referral
        fields = ["veteran", "provider", "need", "referred_on", "follow_up_on"]

    def run_service(self):
        return referral_make(acting_user=self.acting_user, **self.cleaned_data)


class StageFilter(FilterSetListFilter):
    title = gettext_lazy("跟进")
    parameter_name = "stage"
    filterset_class = ReferralFilter
    options = {value: (label, {"stage": value}) for value, label in STAGE_CHOICES}


class NoteInline(HistoryInline):
    """The referral's history, read-only like an appeal's."""

    model = ReferralNote


@admin.register(Referral)
class ReferralAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """The referral book: made here or on the phone, handled on the desk page."""

    form = ReferralForm
    list_display = [
        "number", "veteran", "need_short", "provider", "referred_on", "follow_up_display",
        status_badge(Referral), "desk_link",
    ]  # fmt: skip
    list_select_related = ["veteran", "provider"]
    list_filter = [
        "status",
        StageFilter,
        "provider",
        "provider__kind",
        area_filters.DistrictFilter,
        area_filters.StreetFilter,
        area_filters.CommunityFilter,
        area_filters.GridFilter,
    ]
    search_fields = ["veteran__name", "need", "provider__name"]
    raw_id_fields = ["veteran"]
    date_hierarchy = "referred_on"
    actions = ["export_ledger"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Referral._meta.fields] if obj else []

    def get_inlines(self, request, obj):
        return [NoteInline] if obj else []

    def has_change_permission(self, request, obj=None):
        return False  # steps are taken on the desk page, through the services

    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("referrals:detail", pk=obj.pk)

    @admin.display(description=gettext_lazy("编号"), ordering="pk")
    def number(self, referral):
        return referral.pk

    @admin.display(description=gettext_lazy("服务需求"))
    def need_short(self, referral):
        return referral.need[:30]

    @admin.display(description=gettext_lazy("跟进日期"), ordering="follow_up_on")
    def follow_up_display(self, referral):
        if not referral.is_open or referral.follow_up_on is None:
            return "—"
        today = timezone.localdate()
        if referral.follow_up_on < today:
            late = _("逾期%(days)s天") % {"days": (today - referral.follow_up_on).days}
            return format_html('<span class="overdue" style="color:#a40000">{} {}</span>', referral.follow_up_on, late)
        return referral.follow_up_on

    @admin.display(description=gettext_lazy("办理"))
    def desk_link(self, referral):
        return format_html('<a href="{}">{}</a>', reverse("referrals:detail", args=[referral.pk]), _("办理页"))

    @admin.action(description=gettext_lazy("导出所选：转介台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return referrals_ledger_response(queryset, user=request.user, request=request)
