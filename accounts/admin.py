from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import account_snapshot, group_snapshot
from accounts.services import account_changes_record, group_changes_record, password_change_record
from grids.admin_scoping import ScopedAdminMixin

# django-otp's own admin shows and edits the secret keys. Nobody here needs that: people enrol
# their own phone, and an account manager only resets (grids.admin: 重置双因素认证).
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
