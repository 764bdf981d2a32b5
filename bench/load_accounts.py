"""Prints the demo accounts `make load` logs in with, as JSON: grid workers whose grid has
veterans to visit, and leaders and station staff who read the dashboard. Each simulated person
needs an account of their own (a new login ends the account's other session)."""

import itertools
import json
import os
import sys

from django.db.models import Count


def load_accounts() -> dict:
    from accounts.demo import DEMO_TOTP_KEY, demo_authenticators_ensure
    from grids.demo import DEMO_PASSWORD, NAMED_ACCOUNTS
    from grids.models import AreaLevel, Role, StaffProfile
    from veterans.models import LifeStatus, Veteran

    grid_ids = list(
        Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE)
        .values("grid_id")
        .annotate(people=Count("id"))
        .order_by("-people", "grid_id")
        .values_list("grid_id", flat=True)
    )
    workers_by_grid: dict[int, list[str]] = {}
    for grid_id, username in StaffProfile.objects.filter(
        role=Role.GRID_WORKER, user__is_active=True, grids__in=grid_ids
    ).values_list("grids", "user__username"):
        workers_by_grid.setdefault(grid_id, []).append(username)
    # A grid's workers one after the other: they share a due list and may visit the same person
    # at the same moment, as happens on the street (and is where row locks would meet).
    workers = [username for pk in grid_ids for username in sorted(workers_by_grid.get(pk, []))]

    readers = StaffProfile.objects.filter(
        role__in=[Role.BUREAU_LEADER, Role.STATION_STAFF], user__is_active=True
    ).select_related("user")
    named = [username for username, role, _label in NAMED_ACCOUNTS if role in (Role.BUREAU_LEADER, Role.STATION_STAFF)]
    by_level: dict[str, list[str]] = {}
    for profile in readers.order_by("user__username"):
        if profile.user.username not in named:
            by_level.setdefault(profile.scope_level, []).append(profile.user.username)
    levels = [AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY]
    others = itertools.zip_longest(*(by_level.get(level, []) for level in levels))
    leaders = [username for username in named if readers.filter(user__username=username).exists()]
    leaders += [username for row in others for username in row if username]
    # Leaders and stations need a second factor: their load accounts get the demo authenticator.
    demo_authenticators_ensure(leaders)
    return {"workers": workers, "leaders": leaders, "password": DEMO_PASSWORD, "totp_key": DEMO_TOTP_KEY}


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    json.dump(load_accounts(), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
