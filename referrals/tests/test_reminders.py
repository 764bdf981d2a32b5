import datetime

from django.utils import timezone

from referrals.services import referral_answer, referral_close
from referrals.tasks import remind_follow_ups
from referrals.tests.factories import make_referral
from visits.models import Notification


def test_due_and_overdue_follow_ups_reach_whoever_referred_once_a_day(people, veterans, providers):
    today = timezone.localdate()
    make_referral(veterans["mine"], providers["canteen"], by=people["worker"])  # follow-up 3 days ago
    make_referral(veterans["mine"], providers["hospital"], by=people["worker"], follow_up_on=today, referred_on=today)
    done = make_referral(veterans["theirs"], providers["canteen"], by=people["other_worker"], referred_on=today)
    referral_answer(referral=done, accepted=True, answered_on=today, acting_user=people["center"])
    referral_close(referral=done, outcome="已办", closed_on=today, acting_user=people["center"])
    make_referral(veterans["theirs"], providers["hospital"], by=people["other_worker"], referred_on=today)  # ahead
    assert remind_follow_ups.apply(kwargs={"day": today.isoformat()}).get() == 1
    reminder = Notification.objects.get()
    assert reminder.recipient == people["worker"] and "2 件服务需要跟进" in reminder.body
    assert "王德顺→幸福里助老食堂（逾期3天）" in reminder.body and "王德顺→荣军医院（今日）" in reminder.body
    assert remind_follow_ups.apply(kwargs={"day": today.isoformat()}).get() == 0
    later = (today + datetime.timedelta(days=7)).isoformat()
    assert remind_follow_ups.apply(kwargs={"day": later}).get() == 2  # now the other worker's is due too
