"""Demo annual confirmation for `make run`: this year's round in the first district, about 60% of
the recipients confirmed (by a home or station visit of this year where they had one, else in
person at the station) and the rest left pending, written through the real services."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from confirmations.models import ConfirmationMethod, ConfirmationStatus, default_deadline
from confirmations.services import CONFIRMING_VISIT_METHODS, confirmation_confirm, confirmation_round_open
from grids.models import District
from grids.scoping import SYSTEM
from visits.models import Visit

CONFIRMED_SHARE = 0.6


def _deadline(today: datetime.date) -> datetime.date:
    """The usual 30 June, or the year's last day once that has passed: the pending ones stay
    pending (not overdue), so the daily job does not suspend them the next morning."""
    usual = default_deadline(today.year)
    return usual if today <= usual else datetime.date(today.year, 12, 31)


def _confirming_visits(veteran_ids: list[int], year: int) -> dict[int, Visit]:
    """Each person's latest home or station visit of `year` (local time), if any."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    visits = Visit.objects.filter(
        veteran_id__in=veteran_ids,
        method__in=CONFIRMING_VISIT_METHODS,
        visited_at__gte=start,
        visited_at__lt=end,
    ).order_by("veteran_id", "visited_at", "id")
    return {visit.veteran_id: visit for visit in visits}  # the last one of each person wins


def build_demo_confirmations(*, seed: int, share: float = CONFIRMED_SHARE) -> tuple[int, int]:
    """Open this year's round in the first district and confirm `share` of its pending
    recipients. Returns (confirmed, still pending)."""
    district = District.objects.order_by("id").first()
    if district is None:
        return 0, 0
    today = timezone.localdate()
    rng = random.Random(seed * 131 + today.year)
    with transaction.atomic():
        round_ = confirmation_round_open(
            district=district, year=today.year, deadline=_deadline(today), acting_user=SYSTEM
        )
        pending = list(
            round_.confirmations.filter(status=ConfirmationStatus.PENDING).select_related("veteran").order_by("id")
        )
        chosen = rng.sample(pending, round(len(pending) * share))
        visits = _confirming_visits([c.veteran_id for c in chosen], today.year)
        for confirmation in sorted(chosen, key=lambda c: c.pk):
            visit = visits.get(confirmation.veteran_id)
            confirmation_confirm(
                veteran=confirmation.veteran,
                year=today.year,
                method=ConfirmationMethod.VISIT if visit else ConfirmationMethod.IN_PERSON,
                visit=visit,
                notes="" if visit else "本人来站，核验身份证件，健在",
                acting_user=SYSTEM,
            )
    return len(chosen), len(pending) - len(chosen)
