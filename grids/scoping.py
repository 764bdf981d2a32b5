"""The one scoping function: what a user may see and change, by area.

Every queryset of area-bound rows in admin, views, API, exports and tasks passes through
`scope_queryset`. It fails closed: no active user, no profile or no scope means no rows.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

from core.user_cache import forget_user, remembered
from grids.models import AreaLevel, City, StaffProfile
from grids.roles import PERSONAL_DATA_PERMISSION, PERSONAL_DATA_ROLES

# Models we do not own can be registered here; our own declare `scope_lookups`.
_REGISTERED_LOOKUPS: dict[type[Model], dict[str, str]] = {}


@dataclass(frozen=True)
class Scope:
    level: str
    area_ids: tuple[int, ...]
    role: str


def register_scope_lookups(model: type[Model], lookups: dict[str, str]) -> None:
    _REGISTERED_LOOKUPS[model] = lookups


def scope_lookups_for(model: type[Model]) -> dict[str, str]:
    lookups = getattr(model, "scope_lookups", None) or _REGISTERED_LOOKUPS.get(model)
    if lookups is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no scope_lookups")
    return lookups


def _load_scope(user) -> Scope | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    # The profile and its grids in one query (one row per grid; a single row for area scopes).
    rows = list(
        StaffProfile.objects.filter(user_id=user.pk).values_list(
            "role", "scope_level", "district_id", "street_id", "community_id", "grids__id"
        )
    )
    if not rows:
        return None
    role, level, district_id, street_id, community_id, _grid = rows[0]
    if level == AreaLevel.CITY:
        area_ids = (0,)  # the whole deployment
    elif level == AreaLevel.GRID:
        area_ids = tuple(sorted(grid_id for *_fields, grid_id in rows if grid_id is not None))
    else:
        area_id = {AreaLevel.DISTRICT: district_id, AreaLevel.STREET: street_id, AreaLevel.COMMUNITY: community_id}[
            level
        ]
        area_ids = (area_id,) if area_id else ()
    if not area_ids:
        return None
    return Scope(level=level, area_ids=area_ids, role=role)


def user_scope(user) -> Scope | None:
    """The user's scope, loaded once per user object (i.e. once per request), from the shared
    cache while no profile has changed (core.user_cache)."""
    if user is None:
        return None
    cached = getattr(user, "_grid_scope_cache", None)
    if cached is not None:
        return cached[0]
    if getattr(user, "pk", None) is None:
        return _load_scope(user)
    if not user.is_authenticated or not user.is_active:  # read from the request's own user row
        scope = None
    else:
        scope = remembered(user, "scope", lambda: _load_scope(user))
    user._grid_scope_cache = (scope,)
    return scope


class _System:
    """The actor of programs that serve everyone (scheduled jobs, management commands, demo and
    bench builders, tests' setup): the whole city, by name, so their reads still go through
    scope_queryset and their writes through the services' checks. It is no account: the audit
    and the change history store no actor for it, and name it "system"."""

    pk = None
    is_authenticated = True
    is_active = True
    _grid_scope_cache = (Scope(level=AreaLevel.CITY, area_ids=(0,), role="system"),)

    def has_perm(self, perm: str, obj=None) -> bool:
        return True  # a program acting for the whole city; people's permissions do not apply

    def __str__(self) -> str:
        return "system"


SYSTEM = _System()


class MissingActorError(TypeError):
    """A service was called without saying who acts: a programming error, never a user's."""


def require_actor(acting_user):
    """The actor of a write, checked before anything else: a user, or SYSTEM for a program.
    None used to mean "skip the scope checks"; now it is refused, so no caller gets round them."""
    if acting_user is None:
        raise MissingActorError("acting_user is required: the user who acts, or grids.scoping.SYSTEM for a program")
    return acting_user


def forget_scope(user) -> None:
    """Drop the scope this user object holds, for callers that just changed the user's profile
    (the shared cache is retired by accounts.signals)."""
    if hasattr(user, "_grid_scope_cache"):
        del user._grid_scope_cache
    forget_user(user)


def _sees_personal_data(user, scope: Scope) -> bool:
    """Rows about people are for the data roles. A system admin or an auditor has an area scope
    for their own work (accounts, the audit) and sees them only if also given a data role's
    permissions — whatever page, export, API or task asks."""
    if scope.role in PERSONAL_DATA_ROLES or user is SYSTEM:
        return True  # no query: the role came with the scope
    return user.has_perm(PERSONAL_DATA_PERMISSION)


def scope_queryset(user, queryset: QuerySet) -> QuerySet:
    """Only the rows of `queryset` that lie inside `user`'s area."""
    lookups = scope_lookups_for(queryset.model)
    scope = user_scope(user)
    if scope is None:
        return queryset.none()
    if getattr(queryset.model, "personal_data", False) and not _sees_personal_data(user, scope):
        return queryset.none()
    if scope.level == AreaLevel.CITY:
        return queryset  # a city-level scope covers every district (the model is scopable: checked above)
    lookup = lookups.get(scope.level)
    if lookup is None:
        # The model has no key at the user's level (e.g. communities for a grid worker).
        return queryset.none()
    if len(scope.area_ids) == 1:
        return queryset.filter(**{lookup: scope.area_ids[0]})
    return queryset.filter(**{f"{lookup}__in": scope.area_ids})


def scope_key(user) -> tuple | None:
    """All that `scope_queryset` decides by for this user, hashable: users with equal keys get
    the same filter, so a caller may keep SQL it compiled through scope_queryset under this key.
    None: no scope (no rows)."""
    scope = user_scope(user)
    if scope is None:
        return None
    return scope, _sees_personal_data(user, scope)


def in_scope(user, obj: Model) -> bool:
    """Whether one object lies inside the user's area, decided by `scope_queryset` itself.
    The user must be given: None is a caller's mistake (require_actor), not "everywhere"."""
    require_actor(user)
    if isinstance(obj, City):
        scope = user_scope(user)
        return scope is not None and scope.level == AreaLevel.CITY
    model = type(obj)
    return scope_queryset(user, model._default_manager.filter(pk=obj.pk)).exists()


register_scope_lookups(
    get_user_model(),
    {
        AreaLevel.DISTRICT: "staff_profile__district_id",
        AreaLevel.STREET: "staff_profile__street_id",
        AreaLevel.COMMUNITY: "staff_profile__community_id",
    },
)
