"""Receipts live as long as a phone may hold an unsent form, then the nightly job drops them."""

import datetime
import uuid

import pytest
from django.utils import timezone

from grids.tests.factories import make_staff
from replays.models import SubmitReceipt
from replays.services import KEEP_DAYS, receipts_prune
from replays.tasks import prune_receipts


def test_old_receipts_go_and_recent_ones_stay(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    old, recent = (
        SubmitReceipt.objects.create(client_id=uuid.uuid4(), user=worker, form="visit", location="/m/")
        for _ in range(2)
    )
    SubmitReceipt.objects.filter(pk=old.pk).update(received_at=timezone.now() - datetime.timedelta(days=KEEP_DAYS + 1))
    assert prune_receipts.delay().get() == 1
    assert list(SubmitReceipt.objects.values_list("pk", flat=True)) == [recent.pk]


def test_pruning_needs_an_actor(db):
    with pytest.raises(TypeError):
        receipts_prune(acting_user=None)
