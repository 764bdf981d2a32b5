"""The daily reminder job run by a real Celery worker through Redis (CI), and its beat entry."""

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from appeals.models import AppealCategory, AppealKind
from appeals.services import appeal_open
from appeals.tasks import remind_appeals
from config.celery import app
from grids.tests.factories import GridFactory, make_staff
from veterans.models import Veteran
from veterans.tests.factories import make_veteran
from visits.models import Notification
from visits.tasks import send_daily_reminders


def test_beat_schedules_exist_and_name_real_tasks(db):
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks["每日走访提醒"] == "visits.tasks.send_daily_reminders"
    assert tasks["每日重算走访到期日"] == "visits.tasks.refresh_all_schedules"
    assert tasks["诉求到期与超期提醒"] == "appeals.tasks.remind_appeals"
    app.loader.import_default_modules()
    for task_name in tasks.values():
        if task_name.startswith(("visits.", "appeals.")):
            assert task_name in app.tasks


@pytest.mark.celery_worker
def test_worker_sends_the_daily_reminders(celery_worker_process):
    grid = GridFactory()
    worker = make_staff(grids=[grid])
    veteran = make_veteran(grid, name="逾期老兵")
    Veteran.objects.filter(pk=veteran.pk).update(visit_due_on=timezone.localdate() - datetime.timedelta(days=3))
    result = send_daily_reminders.delay(timezone.localdate().isoformat())
    report = result.get(timeout=60)
    assert report["notifications"] == 1
    note = Notification.objects.get(recipient=worker)
    assert "逾期老兵" in note.body


@pytest.mark.celery_worker
def test_worker_sends_the_appeal_reminders(celery_worker_process):
    grid = GridFactory()
    worker = make_staff(grids=[grid])
    category = AppealCategory.objects.create(name="测试政策咨询", kind=AppealKind.QUESTION, deadline_days=5)
    today = timezone.localdate()
    appeal_open(
        veteran=make_veteran(grid, name="超期诉求人"),
        category=category,
        channel="phone",
        subject="优待证办理",
        content="咨询优待证办理流程",
        received_on=today - datetime.timedelta(days=30),
        acting_user=worker,
    )
    result = remind_appeals.delay(today.isoformat())
    assert result.get(timeout=60) == 1
    note = Notification.objects.get(recipient=worker)
    assert "超期诉求人·优待证办理" in note.body and "已超期" in note.body
