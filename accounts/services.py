"""Audit of account changes made outside the staff services (grids.services): the superuser's
user and group pages, and password changes. Django's admin does the writing there; these record
what changed, in the same transaction."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.policy import end_live_session
from accounts.selectors import PLAIN_FIELDS, PRIVILEGE_FIELDS, account_snapshot, group_snapshot
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from grids.models import StaffProfile
from grids.scoping import in_scope, require_actor


def account_changes_record(*, user, before: dict | None, acting_user) -> None:
    """Compare the account with `before` (account_snapshot taken before the write) and write
    one audit row per kind of change: created, enabled/disabled, privileges, other fields."""
    require_actor(acting_user)
    after = account_snapshot(user)
    if before is None:
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=user,
            detail={"account": True, **{key: after[key] for key in ("is_active", *PRIVILEGE_FIELDS, "groups")}},
        )
        return
    if before["is_active"] != after["is_active"]:
        audit_record(
            action=AuditAction.ACCOUNT_ENABLED if after["is_active"] else AuditAction.ACCOUNT_DISABLED,
            actor=acting_user,
            obj=user,
        )
    privileges = [key for key in (*PRIVILEGE_FIELDS, "groups", "permissions") if before[key] != after[key]]
    if privileges:
        detail = {"before": {key: before[key] for key in privileges}, "after": {key: after[key] for key in privileges}}
        audit_record(action=AuditAction.ROLE_CHANGE, actor=acting_user, obj=user, detail=detail)
    plain = [key for key in PLAIN_FIELDS if before[key] != after[key]]
    if plain:
        detail = {"fields": plain}
        if "username" in plain:
            detail["username"] = [before["username"], after["username"]]
        audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=user, detail=detail)


def password_change_record(*, user, acting_user) -> None:
    """A password was set: by its owner, or reset by an account manager."""
    require_actor(acting_user)
    audit_record(
        action=AuditAction.PASSWORD_CHANGE,
        actor=acting_user,
        obj=user,
        detail={"by": "self" if acting_user.pk == user.pk else "admin"},
    )


def group_changes_record(*, group: Group, before: list[str] | None, acting_user) -> None:
    """A role group's permissions are every member's privileges: any change is a role change."""
    require_actor(acting_user)
    after = group_snapshot(group)
    if before is None:
        audit_record(action=AuditAction.CREATE, actor=acting_user, obj=group, detail={"permissions": after})
    elif before != after:
        audit_record(
            action=AuditAction.ROLE_CHANGE,
            actor=acting_user,
            obj=group,
            detail={"added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after))},
        )


def account_manager_check(*, user, acting_user, not_allowed: str, not_own: str):
    """What every change of another person's account needs: the account manager's permission, an
    account other than one's own, inside one's area. Returns the account's staff profile."""
    require_actor(acting_user)
    if not (acting_user.is_superuser or acting_user.has_perm("grids.change_staffprofile")):
        raise ApplicationError(not_allowed, code="forbidden")
    if acting_user.pk == user.pk:
        raise ApplicationError(not_own, code="forbidden")
    profile = StaffProfile.objects.filter(user_id=user.pk).first()
    if not acting_user.is_superuser and (profile is None or not in_scope(acting_user, profile)):
        raise ApplicationError(_("该工作人员不在您的管辖范围内。"), code="out_of_scope")
    return profile


@transaction.atomic
def account_set_active(*, user, active: bool, acting_user, request=None) -> bool:
    """Disable (离岗、调离) or enable an account from the staff pages. Accounts are never deleted:
    the audit refers to them. Disabling ends the live session at once. Only account managers
    may, within their own area, and never on their own account (another admin must). Returns
    whether anything changed."""
    profile = account_manager_check(
        user=user,
        acting_user=acting_user,
        not_allowed=_("您没有停用或启用账号的权限。"),
        not_own=_("不能停用或启用自己的账号，请由另一名系统管理员操作。"),
    )
    locked = type(user).objects.select_for_update().get(pk=user.pk)
    if locked.is_active == active:
        return False
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    if not active:
        end_live_session(locked)
    audit_record(
        action=AuditAction.ACCOUNT_ENABLED if active else AuditAction.ACCOUNT_DISABLED,
        actor=acting_user,
        request=request,
        obj=profile or locked,
        detail={"user": locked.get_username()},
    )
    return True
