from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import account_snapshot, group_snapshot
from accounts.services import account_changes_record, account_set_active, group_changes_record, password_change_record
from accounts.two_factor import otp_devices_reset
from core.admin_forms import ServiceFormAdminMixin
from core.errors import ApplicationError
from grids.admin_scoping import ScopedAdminMixin
from grids.forms import StaffProfileForm
from grids.models import AreaLevel, StaffProfile

# django-otp's own admin shows and edits the secret keys. Nobody here needs that: people enrol
# their own phone, and an account manager only resets (StaffProfileAdmin below: 重置双因素认证).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class AuditedSaveMixin:
    """Snapshot the object before the admin writes it and audit the difference after its related
    objects (groups, permissions) are saved too."""

    def audit_snapshot(self, obj):
        raise NotImplementedError

    def audit_changes(self, obj, before, acting_user) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        form.audit_before = self.audit_snapshot(obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.audit_changes(form.instance, form.audit_before, request.user)


class AccountAdmin(AuditedSaveMixin, ScopedAdminMixin, UserAdmin):
    """Django's user pages (superusers only), with every change audited: new accounts,
    disabling and enabling, privileges (staff, superuser, groups, permissions), other fields and
    password resets. Accounts are disabled, never deleted: the audit refers to them."""

    list_select_related = ["staff_profile"]

    def has_delete_permission(self, request, obj=None):
        return False

    def audit_snapshot(self, obj):
        return account_snapshot(obj)

    def audit_changes(self, obj, before, acting_user) -> None:
        account_changes_record(user=obj, before=before, acting_user=acting_user)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:  # saved: the admin redirects
                password_change_record(user=self.get_object(request, unquote(id)), acting_user=request.user)
        return response


class AuditedGroupAdmin(AuditedSaveMixin, GroupAdmin):
    """A group's permissions are its members' privileges: each change is audited."""

    def audit_snapshot(self, obj):
        return group_snapshot(obj)

    def audit_changes(self, obj, before, acting_user) -> None:
        group_changes_record(group=obj, before=before, acting_user=acting_user)

    def has_delete_permission(self, request, obj=None):
        return False  # role groups are made by the migrations; removing one strips a whole role


for _model, _admin in ((get_user_model(), AccountAdmin), (Group, AuditedGroupAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    """工作人员: grids' staff profiles, managed here because their actions (second factor, disabling)
    are accounts' services."""

    form = StaffProfileForm
    list_display = ["username", "full_name", "role", "scope_display", "phone", "is_active", "second_factor"]
    list_filter = ["role", "scope_level"]
    actions = ["reset_second_factor", "disable_accounts", "enable_accounts"]
    search_fields = ["user__username", "user__first_name"]  # the phone is encrypted: not searchable
    list_select_related = ["user", "district", "street", "community"]
    filter_horizontal = ["grids"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["username", "full_name", "password", "phone"]}),
        (
            gettext_lazy("角色与管辖范围"),
            {"fields": ["role", "scope_level", "district", "street", "community", "grids"]},
        ),
    ]

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
        return super().get_queryset(request).prefetch_related("grids").annotate(has_authenticator=Exists(enrolled))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [
            (None, {"fields": ["full_name", "phone"]}),
            self.fieldsets[1],
        ]

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: the audit refers to them

    @admin.display(description=gettext_lazy("用户名"), ordering="user__username")
    def username(self, profile):
        return profile.user.username

    @admin.display(description=gettext_lazy("姓名"))
    def full_name(self, profile):
        return profile.user.first_name

    @admin.display(description=gettext_lazy("启用"), boolean=True)
    def is_active(self, profile):
        return profile.user.is_active

    @admin.display(description=gettext_lazy("管辖范围"))
    def scope_display(self, profile):
        if profile.scope_level == AreaLevel.GRID:
            return "、".join(grid.name for grid in profile.grids.all())
        return str(profile.scope_area or "")

    @admin.display(description=gettext_lazy("双因素认证"), boolean=True)
    def second_factor(self, profile):
        return profile.has_authenticator

    @admin.action(description=gettext_lazy("重置双因素认证（手机丢失或更换）"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        done = 0
        for profile in queryset.select_related("user"):
            try:
                otp_devices_reset(user=profile.user, acting_user=request.user, request=request)
            except ApplicationError as error:
                self.message_user(
                    request,
                    _("%(account)s：%(reason)s") % {"account": profile, "reason": error.message},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("已重置 %(count)s 个账号的双因素认证，其登录已结束；下次登录时须重新绑定手机。") % {"count": done},
                messages.SUCCESS,
            )

    def _set_active(self, request, queryset, *, active: bool) -> None:
        changed = 0
        for profile in queryset.select_related("user"):
            try:
                changed += account_set_active(
                    user=profile.user, active=active, acting_user=request.user, request=request
                )
            except ApplicationError as error:
                self.message_user(
                    request,
                    _("%(account)s：%(reason)s") % {"account": profile, "reason": error.message},
                    messages.ERROR,
                )
        if changed:
            message = (
                _("已启用 %(count)s 个账号。")
                if active
                else _("已停用 %(count)s 个账号，其登录已结束；账号和审计记录保留，可随时重新启用。")
            )
            self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("停用所选账号（离岗、调离）"), permissions=["change"])
    def disable_accounts(self, request, queryset):
        self._set_active(request, queryset, active=False)

    @admin.action(description=gettext_lazy("启用所选账号"), permissions=["change"])
    def enable_accounts(self, request, queryset):
        self._set_active(request, queryset, active=True)
