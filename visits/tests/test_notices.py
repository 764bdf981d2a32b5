"""The phone inbox marks notices read through notices_mark_read, its recipient's own only."""

import datetime

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from grids.tests.factories import make_staff
from visits.models import Notification
from visits.services import notices_mark_read


def _notice(recipient, key: str, **fields) -> Notification:
    return Notification.objects.create(recipient=recipient, title=f"提醒{key}", body="请走访", dedupe_key=key, **fields)


def test_it_marks_the_users_own_unread_notices_and_leaves_others(tree):
    worker, other = make_staff(grids=[tree["grid_a11"]]), make_staff(grids=[tree["grid_a12"]])
    earlier = timezone.now() - datetime.timedelta(days=2)
    fresh, seen, not_mine = _notice(worker, "a"), _notice(worker, "b", read_at=earlier), _notice(other, "c")
    audited_before = AuditEvent.objects.count()
    marked = notices_mark_read(notices=[fresh, seen, not_mine], acting_user=worker)
    assert marked == {fresh.pk}
    for notice in (fresh, seen, not_mine):
        notice.refresh_from_db()
    assert fresh.read_at is not None and seen.read_at == earlier and not_mine.read_at is None
    # Reading one's own inbox is not a key action: no audit row (see the service's docstring).
    assert AuditEvent.objects.count() == audited_before


def test_it_marks_nothing_twice(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    notice = _notice(worker, "a")
    assert notices_mark_read(notices=[notice], acting_user=worker) == {notice.pk}
    first_read = Notification.objects.get(pk=notice.pk).read_at
    assert notices_mark_read(notices=Notification.objects.filter(pk=notice.pk), acting_user=worker) == set()
    assert Notification.objects.get(pk=notice.pk).read_at == first_read


def test_the_inbox_shows_new_notices_once_as_unread(client, tree):
    worker, other = make_staff(grids=[tree["grid_a11"]]), make_staff(grids=[tree["grid_a12"]])
    notice, elsewhere = _notice(worker, "a"), _notice(other, "b")
    client.force_login(worker)
    response = client.get(reverse("mobile:inbox"))
    assert response.status_code == 200
    assert response.context["just_read"] == {notice.pk} and "提醒b" not in response.content.decode()
    notice.refresh_from_db()
    elsewhere.refresh_from_db()
    assert notice.read_at is not None and elsewhere.read_at is None
    again = client.get(reverse("mobile:inbox"))
    assert again.context["just_read"] == set() and "提醒a" in again.content.decode()
