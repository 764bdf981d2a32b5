import datetime

import pytest
from django.core import mail
from django.utils import timezone

from grids.models import Role
from grids.tests.factories import make_staff
from veterans.models import Veteran
from veterans.tests.factories import make_veteran
from visits.models import DeliveryStatus, Notification, WebhookChannel, WebhookDelivery
from visits.reminders import send_daily_reminders
from visits.tests.webhook_stub import RobotStub

TODAY = timezone.localdate()


@pytest.fixture
def team(tree):
    worker = make_staff(grids=[tree["grid_a11"]], username="worker_a11")
    worker.email = "worker@example.gov.cn"
    worker.first_name = "网格员甲"
    worker.save()
    other_worker = make_staff(grids=[tree["grid_a12"]], username="worker_a12")
    leader = make_staff(grids=[tree["grid_a11"], tree["grid_a12"]], role=Role.GRID_LEADER, username="leader_a1")
    due_today = make_veteran(tree["grid_a11"], name="今天该访")
    overdue = make_veteran(tree["grid_a11"], name="早该访了")
    make_veteran(tree["grid_a12"], name="不急")
    Veteran.objects.filter(pk=due_today.pk).update(visit_due_on=TODAY)
    Veteran.objects.filter(pk=overdue.pk).update(visit_due_on=TODAY - datetime.timedelta(days=20))
    Veteran.objects.filter(name="不急").update(visit_due_on=TODAY + datetime.timedelta(days=30))
    return {"worker": worker, "other": other_worker, "leader": leader}


def test_worker_is_told_who_is_due_and_overdue(team, tree):
    report = send_daily_reminders(TODAY)
    note = Notification.objects.get(recipient=team["worker"])
    assert "今日应访 1 人，逾期 1 人" in note.body
    assert "早该访了" in note.body and "今天该访" in note.body
    assert note.body.index("早该访了") < note.body.index("今天该访")
    assert not Notification.objects.filter(recipient=team["other"]).exists()  # nothing due in grid a12
    assert report.notifications == 2
    assert [m.to for m in mail.outbox] == [["worker@example.gov.cn"]]


def test_grid_leader_hears_about_workers_with_overdue_visits(team):
    send_daily_reminders(TODAY)
    note = Notification.objects.get(recipient=team["leader"])
    assert note.title == "网格员逾期走访情况"
    assert "网格员甲：逾期未访 1 人" in note.body


def test_running_twice_a_day_notifies_once(team):
    first = send_daily_reminders(TODAY)
    second = send_daily_reminders(TODAY)
    assert first.notifications == 2 and second.notifications == 0
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 1
    tomorrow = send_daily_reminders(TODAY + datetime.timedelta(days=1))
    assert tomorrow.notifications == 2


def channel(tree, grid_key, url):
    hook = WebhookChannel(kind="wecom", url=url)
    hook.place_in_grid(tree[grid_key])
    hook.save()
    return hook


def test_webhook_is_retried_with_backoff_until_it_gets_through(team, tree, monkeypatch):
    countdowns = record_countdowns(monkeypatch)
    with RobotStub(failures_before_success=2) as robot:
        channel(tree, "grid_a11", robot.url)
        send_daily_reminders(TODAY)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3
    assert countdowns == [2, 4]  # exponential backoff between attempts
    assert "今日应访 1 人" in robot.received[0]["text"]["content"]


def test_a_failing_webhook_does_not_stop_the_others(team, tree, monkeypatch):
    record_countdowns(monkeypatch)
    make_veteran(tree["grid_a21"], name="另一网格")
    Veteran.objects.filter(name="另一网格").update(visit_due_on=TODAY)
    with RobotStub(always_fail=True) as broken, RobotStub() as working:
        channel(tree, "grid_a11", broken.url)
        channel(tree, "grid_a21", working.url)
        send_daily_reminders(TODAY)
    statuses = dict(WebhookDelivery.objects.values_list("channel__grid__name", "status"))
    assert statuses == {tree["grid_a11"].name: DeliveryStatus.FAILED, tree["grid_a21"].name: DeliveryStatus.SENT}
    assert WebhookDelivery.objects.get(status=DeliveryStatus.FAILED).attempts == 6
    assert len(working.received) == 1


def record_countdowns(monkeypatch) -> list[int]:
    """Eager Celery runs a retry at once; keep the backoff it asked for, to check it."""
    from celery.app.task import Task

    seen: list[int] = []
    original = Task.retry

    def retry(self, *args, countdown=None, **kwargs):
        seen.append(countdown)
        return original(self, *args, countdown=countdown, **kwargs)

    monkeypatch.setattr(Task, "retry", retry)
    return seen
