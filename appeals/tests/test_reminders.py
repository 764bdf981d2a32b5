import datetime

from appeals.models import Appeal
from appeals.services import appeal_assign, appeal_resolve
from appeals.tasks import remind_appeals
from visits.models import Notification

RECEIVED = datetime.date(2026, 11, 2)  # deadline 2026-11-09 (five working days)


def test_overdue_appeals_reach_the_grid_team_and_the_station_once_a_day(open_appeal, people, veterans):
    unassigned = open_appeal()
    assert unassigned.deadline == datetime.date(2026, 11, 9)
    assert remind_appeals.apply(kwargs={"day": "2026-11-12"}).get() == 2
    to_worker = Notification.objects.get(recipient=people["worker"])
    assert "1 件已超期" in to_worker.body and "王德顺·优待证办理（超期3天）" in to_worker.body
    to_station = Notification.objects.get(recipient=people["station"])
    assert to_station.title == "辖区诉求超期情况" and "urgency=overdue" in to_station.link
    assert not Notification.objects.filter(recipient__in=[people["other_worker"], people["other_station"]]).exists()
    assert remind_appeals.apply(kwargs={"day": "2026-11-12"}).get() == 0  # the same day again: nothing new


def test_an_assigned_appeal_reminds_its_handler_the_day_before_its_deadline(open_appeal, people):
    appeal = open_appeal()
    appeal_assign(appeal=appeal, handler=people["station"], acting_user=people["station"])
    assert remind_appeals.apply(kwargs={"day": "2026-11-08"}).get() == 1
    reminder = Notification.objects.get()
    assert reminder.recipient == people["station"] and "1 件即将到期" in reminder.body and "11-09到期" in reminder.body


def test_resolved_or_far_off_appeals_are_not_reminded(open_appeal, people):
    done = open_appeal()
    appeal_resolve(appeal=done, resolution="已答复", resolved_on=RECEIVED, acting_user=people["station"])
    open_appeal(received_on=datetime.date(2026, 11, 6))
    assert Appeal.objects.count() == 2
    assert remind_appeals.apply(kwargs={"day": "2026-11-10"}).get() == 0
    assert not Notification.objects.exists()
