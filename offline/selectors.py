"""What a grid worker's phone keeps for a day without signal: the people of their scope with only
what the phone shows (numbers masked), their open must-visit events and this week's activities."""

import datetime
import hashlib
from collections import defaultdict

from django.db.models import Max, Prefetch
from django.utils import timezone

from core.masking import mask_phone
from grids.models import Grid
from grids.scoping import scope_queryset
from veterans.models import PriorityCare, VeteranChange
from visits import selectors as visit_selectors
from visits.models import MustVisitEvent


def file_version(veteran_id: int) -> int:
    """The newest history row of a file: any later row is a change the phone has not seen."""
    return VeteranChange.objects.filter(veteran_id=veteran_id).aggregate(v=Max("id"))["v"] or 0


def file_versions(ids) -> dict[int, int]:
    rows = VeteranChange.objects.filter(veteran_id__in=ids).values("veteran_id").annotate(v=Max("id"))
    return {row["veteran_id"]: row["v"] for row in rows}


# A phone holds one grid or a few: a station's whole area is no phone's cache.
MAX_PEOPLE = 3000


def scope_signature(user) -> str:
    """Changes when the account's area changes (moved to another grid): the phone then drops
    what it kept and takes the new area's people."""
    grids = ",".join(str(pk) for pk in scope_queryset(user, Grid.objects.order_by("pk")).values_list("pk", flat=True))
    return hashlib.sha256(f"{user.pk}:{grids}".encode()).hexdigest()[:16]


def _events_by_person(user, ids: list[int]) -> dict[int, list[dict]]:
    events = scope_queryset(user, MustVisitEvent.objects.filter(veteran_id__in=ids, resolved_at__isnull=True))
    found = defaultdict(list)
    for event in events.order_by("due_by"):
        found[event.veteran_id].append(
            {"kind": event.get_kind_display(), "due_by": event.due_by.isoformat(), "note": event.note}
        )
    return found


def _person(veteran, events: list[dict], version: int, today: datetime.date) -> dict:
    return {
        "id": veteran.pk,
        "name": veteran.name,
        "gender": veteran.get_gender_display(),
        "age": veteran.age,
        "kind": veteran.get_person_kind_display(),
        "area": f"{veteran.community.name} · {veteran.grid.name}",
        "address": veteran.residence_address,
        "service_needs": veteran.service_needs,
        "version": version,  # the file as the phone took it: a change made on it is checked against newer ones
        "phone": mask_phone(veteran.phone) if veteran.phone else "",
        "visit_due_on": veteran.visit_due_on.isoformat() if veteran.visit_due_on else "",
        "event_due_on": veteran.event_due_on.isoformat() if veteran.event_due_on else "",
        "overdue": any(d and d < today for d in (veteran.visit_due_on, veteran.event_due_on)),
        "care": [str(row) for row in veteran.priority_care.all()],
        "events": events,
    }


def phone_snapshot(*, user) -> dict:
    """The due list's people in its order, at most MAX_PEOPLE, in a constant number of queries."""
    today = timezone.localdate()
    people = list(
        visit_selectors.due_list(user=user)
        .select_related("community", "grid")
        .prefetch_related(Prefetch("priority_care", queryset=PriorityCare.objects.order_by("category")))[
            : MAX_PEOPLE + 1
        ]
    )
    complete = len(people) <= MAX_PEOPLE
    people = people[:MAX_PEOPLE]
    ids = [p.pk for p in people]
    events = _events_by_person(user, ids)
    versions = file_versions(ids)
    week_start = today - datetime.timedelta(days=today.weekday())
    activities = visit_selectors.activities_for(user=user, start=week_start, end=today)
    return {
        "user": user.pk,
        "scope": scope_signature(user),
        "generated_at": timezone.localtime().isoformat(timespec="minutes"),
        "complete": complete,
        "people": [_person(p, events.get(p.pk, []), versions.get(p.pk, 0), today) for p in people],
        "activities": [
            {"held_on": a.held_on.isoformat(), "title": a.title, "kind": a.get_kind_display()} for a in activities
        ],
    }
