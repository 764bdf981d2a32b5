"""Reads of micro-wishes: scoped lists, one wish, and coverage of a target group (一个都不能少)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from grids.scoping import scope_queryset
from veterans.models import LifeStatus, PriorityCare, Veteran
from wishes.models import DONE_STATUSES, LIVE_STATUSES, MicroWish, WishStatus
from wishes.services import STEPS

AREA_KEYS = {"district": "district_id", "street": "street_id", "community": "community_id", "grid": "grid_id"}


def steps_available(user, wish: MicroWish) -> list[str]:
    """The steps this user could take on the wish now (the service still checks every rule)."""
    return [name for name, step in STEPS.items() if wish.status in step.sources and user.has_perm(step.permission)]


def wishes_for(*, user) -> QuerySet[MicroWish]:
    return scope_queryset(user, MicroWish.objects.select_related("veteran", "grid"))


# Collected or published, and no donor yet: the station publishes them and finds one.
UNCLAIMED_STATUSES = (WishStatus.COLLECTED, WishStatus.PUBLISHED)


def unclaimed_wishes_for(*, user) -> QuerySet[MicroWish]:
    return scope_queryset(user, MicroWish.objects.filter(status__in=UNCLAIMED_STATUSES))


def wish_detail_for(*, user, pk: int) -> MicroWish | None:
    queryset = scope_queryset(user, MicroWish.objects.filter(pk=pk))
    related = [
        "veteran",
        "grid",
        "community",
        "street",
        "collected_by",
        "published_by",
        "fulfilled_by",
        "confirmed_by",
        "cancelled_by",
    ]
    return queryset.select_related(*related).first()


@dataclass(frozen=True)
class Coverage:
    """How far a target group (e.g. all Korean War veterans of an area) is covered by wishes."""

    category: str
    target: int  # living, not removed, in scope, in the category
    with_wish: int  # of whom at least one wish not cancelled
    fulfilled: int  # of whom at least one wish fulfilled or confirmed
    missing: QuerySet[Veteran]  # the target veterans with no wish yet

    @property
    def missed(self) -> int:
        return self.target - self.with_wish

    @property
    def share(self) -> float:
        return round(100 * self.with_wish / self.target, 1) if self.target else 0.0


def coverage_targets(*, user, category: str, area=None) -> QuerySet[Veteran]:
    """The target group in the user's scope, each marked has_wish / has_fulfilled (Exists, no N+1)."""
    veterans = scope_queryset(
        user, Veteran.objects.filter(life_status=LifeStatus.ALIVE, removed_at__isnull=True)
    ).filter(Exists(PriorityCare.objects.filter(veteran_id=OuterRef("pk"), category=category)))
    if area is not None:
        veterans = veterans.filter(**{AREA_KEYS[area.level]: area.pk})
    wishes = MicroWish.objects.filter(veteran_id=OuterRef("pk"))
    return veterans.annotate(
        has_wish=Exists(wishes.filter(status__in=LIVE_STATUSES)),
        has_fulfilled=Exists(wishes.filter(status__in=DONE_STATUSES)),
    )


def wish_coverage(*, user, category: str = "korean_war", area=None) -> Coverage:
    """Counts in one query, plus the (lazy) list of who has no wish recorded yet."""
    targets = coverage_targets(user=user, category=category, area=area)
    counts = targets.aggregate(
        target=Count("pk"),
        with_wish=Count("pk", filter=Q(has_wish=True)),
        fulfilled=Count("pk", filter=Q(has_fulfilled=True)),
    )
    missing = targets.filter(has_wish=False).select_related("street", "community", "grid").order_by("grid_id", "id")
    return Coverage(category=category, missing=missing, **counts)


def coverage_by_area(*, user, category: str, level: str) -> list[dict]:
    """Per area at `level`: target, with a wish, fulfilled — to see where veterans were missed."""
    key = AREA_KEYS[level]
    rows = (
        coverage_targets(user=user, category=category)
        .values(key)
        .annotate(
            target=Count("pk"),
            with_wish=Count("pk", filter=Q(has_wish=True)),
            fulfilled=Count("pk", filter=Q(has_fulfilled=True)),
        )
        .order_by(key)
    )
    return [{"area_id": row[key], **{k: row[k] for k in ("target", "with_wish", "fulfilled")}} for row in rows]
