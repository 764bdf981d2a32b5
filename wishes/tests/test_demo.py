from io import StringIO

from django.core.management import call_command

from audit.models import AuditEvent
from wishes.demo import build_demo_wishes
from wishes.models import MicroWish, WishStatus


def test_demo_wishes_are_real_workflow_in_believable_states(db):
    call_command(
        "seed_demo", "--streets", "2", "--communities", "4", "--grids", "8", "--veterans", "200", stdout=StringIO()
    )
    made = build_demo_wishes(wishes=30, seed=7)
    assert made == MicroWish.objects.count() == 30
    statuses = set(MicroWish.objects.values_list("status", flat=True))
    assert {WishStatus.COLLECTED, WishStatus.CLAIMED, WishStatus.CONFIRMED} <= statuses
    assert all(w.photo for w in MicroWish.objects.filter(status__in=["fulfilled", "confirmed"]))
    created = AuditEvent.objects.filter(object_type="wishes.microwish", action="create").count()
    assert created == 30
    assert build_demo_wishes(wishes=5, seed=7) == 5  # again: only veterans without a wish yet
    assert MicroWish.objects.count() == 35
