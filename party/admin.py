"""The station's party pages: organisations (with their member counts), memberships, follow-ups
of pocket and mobile members (steps taken on the desk page), 三会一课 with attendance, and the
party members' ledger. Every write goes through party.services."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdmin, status_badge
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from core.errors import ApplicationError
from grids.admin_scoping import ScopedAdminMixin
from party import services
from party.admin_filters import (
    AREA_FILTERS,
    PERSON_AREA_FILTERS,
    AssignedFilter,
    ClosedYearFilter,
    OutsideFilter,
    OverdueFilter,
    PresentYearFilter,
)
from party.exports import life_ledger_response, members_ledger_response
from party.models import (
    Attendance,
    FollowUp,
    FollowUpStep,
    Membership,
    OrganisationLife,
    PartyMember,
    PartyOrganisation,
)
from party.selectors import members_for, organisation_list_for


class _Remembered(ServiceModelForm):
    """The dry run gives a new instance a pk: remember whether it had one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_pk = self.instance.pk


ORGANISATION_FIELDS = ["name", "kind", "parent", "district", "street", "community", "grid", "employer"]
ORGANISATION_FIELDS += ["secretary_name", "active"]


class OrganisationForm(_Remembered):
    class Meta:
        model = PartyOrganisation
        fields = ORGANISATION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].required = False  # the service takes it from a deeper area given

    def run_service(self):
        values = {name: self.cleaned_data.get(name) for name in ORGANISATION_FIELDS}
        organisation = PartyOrganisation(pk=self.original_pk, **values)
        return services.organisation_save(organisation=organisation, acting_user=self.acting_user)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["name", "kind", "area_name", "employer", "secretary_name", "member_count", "active"]
    list_filter = ["kind", "active", *AREA_FILTERS]
    search_fields = ["name", "employer", "secretary_name"]

    def get_queryset(self, request):
        return organisation_list_for(user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # memberships and life records keep their organisation; untick 有效 instead

    @admin.display(description=gettext_lazy("所属区域"))
    def area_name(self, organisation):
        return organisation.area.name

    @admin.display(description=gettext_lazy("党员人数"), ordering="member_count")
    def member_count(self, organisation):
        url = reverse("admin:party_membership_changelist")
        return format_html(
            '<a href="{}?organisation__id__exact={}&amp;active=yes">{}</a>',
            url,
            organisation.pk,
            organisation.member_count,
        )


class MembershipForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["person", "organisation", "joined_on"]

    def run_service(self):
        return services.membership_add(acting_user=self.acting_user, **self.cleaned_data)


class ActiveMembershipFilter(admin.SimpleListFilter):
    title = gettext_lazy("隶属状态")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("在册")), ("no", gettext_lazy("已转出"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(left_on__isnull=self.value() == "yes")
        return queryset


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ["person", "organisation", "joined_on", "left_on"]
    list_select_related = ["person", "organisation"]
    list_filter = [ActiveMembershipFilter, "organisation", *PERSON_AREA_FILTERS]
    search_fields = ["person__name", "organisation__name"]
    raw_id_fields = ["person"]
    actions = ["end_today"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Membership._meta.fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("登记转出（今天）"), permissions=["view"])
    def end_today(self, request, queryset):
        ended = 0
        for membership in queryset.filter(left_on__isnull=True):
            try:
                services.membership_end(membership=membership, left_on=timezone.localdate(), acting_user=request.user)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                ended += 1
        messages.success(request, _("已登记转出 %(n)s 人。") % {"n": ended})


class FollowUpForm(ServiceModelForm):
    class Meta:
        model = FollowUp
        fields = ["person", "assigned_to", "opened_on"]

    def run_service(self):
        return services.followup_open(acting_user=self.acting_user, **self.cleaned_data)


class StepInline(ReadOnlyInline):
    model = FollowUpStep
    fields = ["on", "kind", "note", "recorded_by"]
    readonly_fields = fields


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """Pocket and mobile members being brought under an organisation; steps on the desk page."""

    form = FollowUpForm
    list_display = ["person", "relation_at_opening", "grid", "assigned_to", "opened_on", "days_open"]
    list_display += [status_badge(FollowUp), "desk_link"]
    list_select_related = ["person", "grid", "assigned_to"]
    list_filter = ["status", AssignedFilter, OverdueFilter, ClosedYearFilter, *AREA_FILTERS]
    search_fields = ["person__name"]
    raw_id_fields = ["person"]
    date_hierarchy = "opened_on"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in FollowUp._meta.fields] if obj else []

    def get_inlines(self, request, obj):
        return [StepInline] if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("party:followup", pk=obj.pk)

    @admin.display(description=gettext_lazy("已跟进天数"))
    def days_open(self, follow_up):
        return ((follow_up.closed_on or timezone.localdate()) - follow_up.opened_on).days

    @admin.display(description=gettext_lazy("办理"))
    def desk_link(self, follow_up):
        return format_html('<a href="{}">{}</a>', reverse("party:followup", args=[follow_up.pk]), _("办理页"))


class LifeForm(_Remembered):
    class Meta:
        model = OrganisationLife
        fields = ["organisation", "kind", "held_on", "topic"]

    def run_service(self):
        data = self.cleaned_data
        if self.original_pk is None:
            return services.life_record(acting_user=self.acting_user, **data)
        life = OrganisationLife.objects.get(pk=self.original_pk)
        kept = {key: data[key] for key in ("kind", "held_on", "topic")}
        return services.life_update(life=life, acting_user=self.acting_user, **kept)


class AttendanceInline(admin.TabularInline):
    """One row per member of the organisation that day (made by the service); only the status
    is marked here."""

    model = Attendance
    extra = 0
    can_delete = False
    fields = ["person", "status"]
    readonly_fields = ["person"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OrganisationLife)
class OrganisationLifeAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = LifeForm
    list_display = ["held_on", "organisation", "kind", "topic"]
    list_select_related = ["organisation"]
    list_filter = ["kind", "organisation"]
    search_fields = ["topic", "organisation__name"]
    date_hierarchy = "held_on"
    actions = ["export_ledger"]

    def get_inlines(self, request, obj):
        return [AttendanceInline] if obj else []

    def get_readonly_fields(self, request, obj=None):
        return ["organisation"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attendance:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
        for row in formset.forms:
            if row.has_changed() and row.instance.pk:
                marked = services.attendance_mark(
                    life=row.instance.life,
                    person=row.instance.person,
                    status=row.cleaned_data["status"],
                    acting_user=request.user,
                )
                formset.changed_objects.append((marked, ["status"]))  # for the admin's change message

    @admin.action(description=gettext_lazy("导出所选：三会一课台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return life_ledger_response(queryset, user=request.user, request=request)


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Who attended what: the list behind the dashboard's attendance figure."""

    list_display = ["held_on", "organisation", "kind", "person", "status"]
    list_select_related = ["life__organisation", "person"]
    list_filter = ["status", PresentYearFilter, *PERSON_AREA_FILTERS]
    search_fields = ["person__name", "life__topic"]

    @admin.display(description=gettext_lazy("日期"), ordering="life__held_on")
    def held_on(self, attendance):
        return attendance.life.held_on

    @admin.display(description=gettext_lazy("党组织"))
    def organisation(self, attendance):
        return attendance.life.organisation

    @admin.display(description=gettext_lazy("类型"))
    def kind(self, attendance):
        return attendance.life.get_kind_display()


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """党员台账: every living party member with the relation and the organisation they are under.
    Read-only: the file is changed in the veterans' pages, the organisation by a membership."""

    list_display = ["name", "street", "community", "grid", "party_relation", "organisation", "followed_up"]
    list_filter = ["party_relation", OutsideFilter, *AREA_FILTERS]
    search_fields = ["name"]
    actions = ["export_ledger"]

    def get_queryset(self, request):
        return members_for(user=request.user)

    def get_fields(self, request, obj=None):
        return ["name", "gender", "birth_date", "party_relation", "street", "community", "grid"]

    @admin.display(description=gettext_lazy("所在党组织"))
    def organisation(self, member):
        return member.organisation_name or _("尚未纳入")

    @admin.display(description=gettext_lazy("跟进中"), boolean=True)
    def followed_up(self, member):
        return member.followed_up

    @admin.action(description=gettext_lazy("导出所选：党员台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return members_ledger_response(queryset, user=request.user, request=request)
