"""Writes to the area tree and to staff accounts. Admin, imports and seeding call these."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from grids.models import (
    AREA_MODELS,
    PARENT_LEVEL,
    AreaLevel,
    Community,
    District,
    Grid,
    Role,
    StaffProfile,
    Street,
    the_city,
)
from grids.roles import ROLE_GROUP_NAMES, ROLE_SCOPE_LEVELS, ROLES_WITH_ADMIN_ACCESS
from grids.scoping import forget_scope, in_scope, require_actor

User = get_user_model()

STATION_FIELDS = ("station_name", "station_address", "station_phone")


def _check_parent_in_scope(acting_user, parent) -> None:
    if not in_scope(acting_user, parent):
        raise ApplicationError(_("上级区域“%(name)s”不在您的管辖范围内。") % {"name": parent})


def copy_ancestor_keys(area, parent) -> None:
    """Copy the parent's own key and its ancestors' keys onto a new child area."""
    if isinstance(parent, District):
        area.district = parent
    elif isinstance(parent, Street):
        area.district_id, area.street = parent.district_id, parent
    elif isinstance(parent, Community):
        area.district_id, area.street_id, area.community = (
            parent.district_id,
            parent.street_id,
            parent,
        )


@transaction.atomic
def area_create(*, level: str, parent=None, code: str, name: str, acting_user, **station):
    """Create one area under `parent` (none for a district), inside the user's scope."""
    require_actor(acting_user)
    model = AREA_MODELS[AreaLevel(level)]
    if level == AreaLevel.DISTRICT:
        if parent is not None:
            raise ApplicationError(_("区/县是最高层级，不能有上级。"), field="parent")
        if not acting_user.has_perm("grids.add_district"):
            raise ApplicationError(_("您没有新增区/县的权限。"))
    else:
        expected = AREA_MODELS[PARENT_LEVEL[level]]
        if not isinstance(parent, expected):
            raise ApplicationError(
                _("%(level)s的上级必须是%(parent)s。")
                % {"level": model._meta.verbose_name, "parent": expected._meta.verbose_name},
                field="parent",
            )
        _check_parent_in_scope(acting_user, parent)
    area = model(code=code.strip(), name=name.strip())
    for field in STATION_FIELDS:
        if field in station and hasattr(area, field):
            setattr(area, field, (station[field] or "").strip())
    copy_ancestor_keys(area, parent)
    full_clean_or_raise(area)
    area.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=area)
    return area


@transaction.atomic
def area_update(*, area, acting_user, **changes):
    """Rename an area or change its code or station; its place in the tree stays."""
    if not in_scope(acting_user, area):
        raise ApplicationError(_("该区域不在您的管辖范围内。"))
    allowed = {"code", "name", *STATION_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(unknown)})
    before = {field: getattr(area, field) for field in changes}
    for field, value in changes.items():
        setattr(area, field, (value or "").strip())
    full_clean_or_raise(area)
    changed = [field for field in changes if before[field] != getattr(area, field)]
    if changed:
        area.save(update_fields=[*changed, "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=area,
            detail={f: [before[f], getattr(area, f)] for f in changed},
        )
    return area


def _validate_scope(role: str, scope_level: str, area, grids: list[Grid]) -> None:
    if scope_level not in ROLE_SCOPE_LEVELS[Role(role)]:
        allowed = "、".join(str(AreaLevel(level).label) for level in ROLE_SCOPE_LEVELS[Role(role)])
        raise ApplicationError(
            _("%(role)s的管辖层级只能是：%(levels)s。") % {"role": Role(role).label, "levels": allowed},
            field="scope_level",
        )
    if scope_level == AreaLevel.GRID:
        if not grids:
            raise ApplicationError(_("请至少选择一个网格。"), field="grids")
    elif scope_level == AreaLevel.CITY:
        return
    elif not isinstance(area, AREA_MODELS[AreaLevel(scope_level)]):
        raise ApplicationError(
            _("请选择管辖的%(level)s。") % {"level": AreaLevel(scope_level).label},
            field=scope_level,
        )


def _apply_scope(profile: StaffProfile, scope_level: str, area, grids: list[Grid]) -> None:
    """Set the scope area and fill the ancestor keys (common ancestors for several grids)."""
    profile.scope_level = scope_level
    profile.district = profile.street = profile.community = None
    if scope_level == AreaLevel.GRID:
        common = {
            "district_id": {g.district_id for g in grids},
            "street_id": {g.street_id for g in grids},
            "community_id": {g.community_id for g in grids},
        }
        for key, values in common.items():
            setattr(profile, key, values.pop() if len(values) == 1 else None)
        return
    if scope_level == AreaLevel.CITY:
        return  # no area keys: the whole deployment
    if scope_level == AreaLevel.DISTRICT:
        profile.district = area
    elif scope_level == AreaLevel.STREET:
        profile.district_id, profile.street = area.district_id, area
    else:
        profile.district_id, profile.street_id, profile.community = (
            area.district_id,
            area.street_id,
            area,
        )


def _scope_target(scope_level: str, area):
    """What the acting user must cover to hand out this scope (the whole city for 全市)."""
    if scope_level == AreaLevel.CITY:
        return the_city()
    return None if scope_level == AreaLevel.GRID else area


def _check_assignable(acting_user, area, grids: Iterable[Grid]) -> None:
    """Nobody hands out a scope wider than their own."""
    targets = list(grids) if area is None else [area]
    for target in targets:
        if not in_scope(acting_user, target):
            raise ApplicationError(_("“%(name)s”不在您的管辖范围内，不能分配。") % {"name": target})


def _sync_groups(user, role: str) -> None:
    role_groups = Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=ROLE_GROUP_NAMES[Role(role)]))


@transaction.atomic
def staff_account_create(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    scope_level: str,
    area=None,
    grids: Iterable[Grid] = (),
    phone: str = "",
    acting_user,
) -> StaffProfile:
    """Create a login with its role group and scope in one step."""
    require_actor(acting_user)
    grids = list(grids)
    _validate_scope(role, scope_level, area, grids)
    _check_assignable(acting_user, _scope_target(scope_level, area), grids)
    if User.objects.filter(username=username).exists():
        raise ApplicationError(_("用户名“%(name)s”已被使用。") % {"name": username}, field="username")
    user = User(username=username, first_name=full_name, is_staff=Role(role) in ROLES_WITH_ADMIN_ACCESS)
    user.set_password(password)
    full_clean_or_raise(user)
    user.save()
    profile = StaffProfile(user=user, role=role, phone=phone)
    _apply_scope(profile, scope_level, area, grids)
    full_clean_or_raise(profile, exclude=["user"])
    profile.save()
    if scope_level == AreaLevel.GRID:
        profile.grids.set(grids)
    _sync_groups(user, role)
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        obj=profile,
        detail={"role": role, "scope_level": scope_level, "areas": _scope_names(area, grids)},
    )
    return profile


@transaction.atomic
def staff_profile_change(
    *,
    profile: StaffProfile,
    role: str,
    scope_level: str,
    area=None,
    grids: Iterable[Grid] = (),
    phone: str | None = None,
    acting_user,
) -> StaffProfile:
    """Change someone's role or scope; the change is audited with before and after."""
    require_actor(acting_user)
    grids = list(grids)
    if not in_scope(acting_user, profile):
        raise ApplicationError(_("该工作人员不在您的管辖范围内。"))
    if acting_user.pk == profile.user_id and _reassigned(profile, role, scope_level, area, grids):
        # Separation of duties: an account manager cannot hand themselves a data role or a wider area.
        raise ApplicationError(_("不能修改自己的角色或管辖范围，请由另一名系统管理员操作。"), field="role")
    _validate_scope(role, scope_level, area, grids)
    _check_assignable(acting_user, _scope_target(scope_level, area), grids)
    before = {"role": profile.role, "scope": _describe_scope(profile)}
    profile.role = role
    if phone is not None:
        profile.phone = phone
    _apply_scope(profile, scope_level, area, grids)
    profile.save()
    profile.grids.set(grids if scope_level == AreaLevel.GRID else [])
    user = profile.user
    user.is_staff = Role(role) in ROLES_WITH_ADMIN_ACCESS
    user.save(update_fields=["is_staff"])
    _sync_groups(user, role)
    forget_scope(user)
    audit_record(
        action=AuditAction.ROLE_CHANGE,
        actor=acting_user,
        obj=profile,
        detail={"before": before, "after": {"role": role, "scope": _scope_names(area, grids)}},
    )
    return profile


def _reassigned(profile: StaffProfile, role: str, scope_level: str, area, grids: list[Grid]) -> bool:
    if (profile.role, profile.scope_level) != (role, scope_level):
        return True
    if scope_level == AreaLevel.GRID:
        return {g.pk for g in profile.grids.all()} != {g.pk for g in grids}
    if scope_level == AreaLevel.CITY:
        return False
    return getattr(profile, f"{scope_level}_id") != getattr(area, "pk", None)


def _scope_names(area, grids: list[Grid]) -> list[str]:
    return [str(g) for g in grids] if grids else [str(area)] if area else []


def _describe_scope(profile: StaffProfile) -> list[str]:
    if profile.scope_level == AreaLevel.GRID:
        return [str(g) for g in profile.grids.all()]
    area = profile.scope_area
    return [str(area)] if area else []


@transaction.atomic
def staff_name_change(*, profile: StaffProfile, full_name: str, acting_user) -> StaffProfile:
    """Change the name a staff member is shown by. Audited as the other account changes are, by
    field only (the name is personal data, see accounts.services.PLAIN_FIELDS)."""
    if not in_scope(acting_user, profile):
        raise ApplicationError(_("该工作人员不在您的管辖范围内。"))
    user = User.objects.select_for_update().get(pk=profile.user_id)
    full_name = full_name.strip()
    if user.first_name == full_name:
        return profile
    user.first_name = full_name
    full_clean_or_raise(user, validate_unique=False)
    user.save(update_fields=["first_name"])
    profile.user = user
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=user, detail={"fields": ["first_name"]})
    return profile
