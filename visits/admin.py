from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, money_column
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from core.admin_paging import CityScaleListMixin
from core.money import yuan
from grids.admin_scoping import ScopedAdminMixin
from grids.models import Community, District, Street
from grids.scoping import scope_queryset
from veterans import admin_filters as area_filters
from veterans.models import Veteran
from veterans.selectors import search_veterans
from visits.exports import visits_ledger_response
from visits.models import Campaign, GridActivity, MustVisitEvent, Visit, VisitPolicy, WebhookChannel
from visits.selectors import campaign_coverage
from visits.services import campaign_create, visit_policy_set, webhook_channel_save


@admin.register(Visit)
class VisitAdmin(CityScaleListMixin, ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "visited_at",
        "veteran",
        "grid",
        "method",
        "kind",
        money_column(Visit, "money"),
        "goods",
        "recorded_by",
    ]
    list_select_related = ["veteran", "grid", "recorded_by"]
    list_filter = [
        area_filters.StreetFilter,
        area_filters.CommunityFilter,
        area_filters.GridFilter,
        "method",
        "kind",
        "campaign",
        "follow_up_needed",
        ("visited_at", admin.DateFieldListFilter),
    ]
    search_fields = ["veteran__name"]
    date_hierarchy = "visited_at"
    actions = ["export_ledger"]
    exclude = ["latitude", "longitude", "location_accuracy"]  # shown together as the position
    readonly_fields = ["position"]

    @admin.display(description=_("走访位置"))
    def position(self, visit):
        if visit.latitude is None:
            return _("未记录")
        if visit.location_accuracy is None:
            return _("纬度 %(latitude)s，经度 %(longitude)s") % {
                "latitude": visit.latitude,
                "longitude": visit.longitude,
            }
        return _("纬度 %(latitude)s，经度 %(longitude)s（精度约 %(metres)s 米）") % {
            "latitude": visit.latitude,
            "longitude": visit.longitude,
            "metres": visit.location_accuracy,
        }

    def get_search_results(self, request, queryset, search_term):
        """The people first, as the veteran list finds them (ID, phone, name, pinyin: each on its
        index), then their visits: never a text match over every visit of the city."""
        if not search_term.strip():
            return queryset, False
        people = search_veterans(scope_queryset(request.user, Veteran.objects.all()), search_term)
        return queryset.filter(veteran__in=people.values("pk")), False

    @admin.action(description=_("导出所选：走访慰问台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return visits_ledger_response(queryset, request=request)


@admin.register(MustVisitEvent)
class MustVisitEventAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["veteran", "kind", "occurred_on", "due_by", "reported_by", "resolved_at"]
    list_select_related = ["veteran", "reported_by"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["veteran__name"]


@admin.register(GridActivity)
class GridActivityAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["held_on", "grid", "kind", "title", "participants", "recorded_by"]
    list_select_related = ["grid", "recorded_by"]
    list_filter = [
        area_filters.StreetFilter,
        area_filters.CommunityFilter,
        "kind",
        ("held_on", admin.DateFieldListFilter),
    ]
    date_hierarchy = "held_on"
    search_fields = ["title", "grid__name"]


class VisitPolicyForm(ServiceModelForm):
    class Meta:
        model = VisitPolicy
        fields = ["interval_days"]

    def run_service(self):
        return visit_policy_set(
            policy=VisitPolicy.objects.get(pk=self.instance.pk),
            interval_days=self.cleaned_data["interval_days"],
            acting_user=self.acting_user,
        )


@admin.register(VisitPolicy)
class VisitPolicyAdmin(ServiceFormAdminMixin, admin.ModelAdmin):
    """Bureau-wide intervals; a change re-computes everyone's due date in the background."""

    form = VisitPolicyForm
    list_display = ["group", "interval_days", "updated_at"]
    readonly_fields = ["group"]
    fields = ["group", "interval_days"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CampaignForm(ServiceModelForm):
    district = forms.ModelChoiceField(queryset=District.objects.none(), label=_("区/县"), required=False)
    street = forms.ModelChoiceField(queryset=Street.objects.none(), label=_("街道/镇"), required=False)
    community = forms.ModelChoiceField(queryset=Community.objects.none(), label=_("社区/村"), required=False)

    class Meta:
        model = Campaign
        fields = ["name", "kind", "target", "starts_on", "ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_on", "ends_on"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = _(
                    "春节、中秋、重阳、八一慰问可留空：按农历（八一按公历）自动取下一次节日前后的日期。"
                )

    def clean(self):
        data = super().clean()
        if not (data.get("community") or data.get("street") or data.get("district")):
            raise forms.ValidationError(_("请选择慰问范围（区/县、街道/镇或社区/村）。"))
        return data

    def run_service(self):
        data = self.cleaned_data
        return campaign_create(
            name=data["name"],
            kind=data["kind"],
            target=data["target"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            area=data.get("community") or data.get("street") or data.get("district"),
            acting_user=self.acting_user,
        )


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = CampaignForm
    list_display = ["name", "kind", "target", "starts_on", "ends_on", "area_display"]
    list_select_related = ["district", "street", "community"]
    list_filter = ["kind", "target"]
    readonly_fields = ["coverage"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "kind", "target", "starts_on", "ends_on", "district", "street", "community"]
        return ["coverage"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        from grids.scoping import scope_queryset

        for name, model in (("district", District), ("street", Street), ("community", Community)):
            if name in form.base_fields:
                form.base_fields[name].queryset = scope_queryset(request.user, model.objects.all())
        return form

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("慰问范围"))
    def area_display(self, campaign):
        return str(campaign.community or campaign.street or campaign.district)

    @admin.display(description=_("覆盖情况"))
    def coverage(self, campaign):
        figures = campaign_coverage(campaign)
        text = _("应慰问 %(targeted)s 人，已走访 %(visited)s 人（%(share)s%%），共 %(visits)s 次，")
        text += _("慰问金 %(money)s，物品 %(goods)s")
        return text % {
            **figures,
            "money": yuan(figures["money"]),
            "goods": yuan(figures["goods_value"]),
        }


class WebhookChannelForm(ServiceModelForm):
    class Meta:
        model = WebhookChannel
        fields = ["grid", "kind", "url", "active"]

    def run_service(self):
        channel = WebhookChannel.objects.get(pk=self.instance.pk) if self.instance.pk else WebhookChannel()
        return webhook_channel_save(channel=channel, acting_user=self.acting_user, **self.cleaned_data)


@admin.register(WebhookChannel)
class WebhookChannelAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = WebhookChannelForm
    list_display = ["grid", "kind", "active"]
    list_select_related = ["grid"]
    list_filter = ["kind", "active"]
