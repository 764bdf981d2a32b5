import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import DistrictFactory, StreetFactory, make_staff
from referrals.models import NoteKind, Provider, Referral, ReferralStatus, VolunteerTeam
from referrals.services import (
    provider_save,
    referral_answer,
    referral_cancel,
    referral_close,
    referral_note_add,
)
from referrals.tests.factories import make_provider, make_referral, make_team, make_volunteer


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_the_whole_road_from_referral_to_an_outcome(people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"], referred_on=_days_ago(10))
    assert (referral.status, referral.grid_id, referral.district_id) == (
        "referred",
        veterans["mine"].grid_id,
        veterans["mine"].district_id,
    )
    assert referral.follow_up_on == _days_ago(3)  # a week after the referral
    referral_answer(referral=referral, accepted=True, answered_on=_days_ago(9), acting_user=people["station"])
    referral_note_add(
        referral=referral, text="每日午餐已送到", follow_up_on=_days_ago(-7), acting_user=people["worker"]
    )
    referral_close(referral=referral, outcome="长期助餐已落实", closed_on=_days_ago(2), acting_user=people["station"])
    referral.refresh_from_db()
    assert (referral.status, referral.days_to_close, referral.outcome) == ("closed", 8, "长期助餐已落实")
    kinds = list(referral.notes.values_list("kind", flat=True))
    assert kinds == [NoteKind.REFER, NoteKind.ACCEPT, NoteKind.PROGRESS, NoteKind.CLOSE]
    assert AuditEvent.objects.filter(object_id=str(referral.pk)).count() >= 3


def test_a_provider_of_another_district_is_refused_and_nothing_is_written(people, veterans):
    elsewhere = make_provider(DistrictFactory(name="外区"), name="外区助老食堂")
    with pytest.raises(ApplicationError, match="不在该服务对象所在区/县的服务机构名录中") as error:
        make_referral(veterans["mine"], elsewhere, by=people["worker"])
    assert error.value.field == "provider"
    assert Referral.objects.count() == 0


def test_an_inactive_provider_is_refused_by_name(people, veterans, providers):
    canteen = providers["canteen"]
    canteen.active = False
    provider_save(provider=canteen, acting_user=people["center"])
    with pytest.raises(ApplicationError, match="幸福里助老食堂”已停用"):
        make_referral(veterans["mine"], canteen, by=people["worker"])


def test_a_worker_cannot_refer_a_person_of_another_grid(people, veterans, providers):
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        make_referral(veterans["theirs"], providers["canteen"], by=people["worker"])
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("step", "field"),
    [("future_referral", "referred_on"), ("early_follow_up", "follow_up_on")],
)
def test_impossible_referral_dates_are_refused_naming_the_field(people, veterans, providers, step, field):
    dates = {
        "future_referral": {"referred_on": _days_ago(-1)},
        "early_follow_up": {"referred_on": _days_ago(5), "follow_up_on": _days_ago(6)},
    }[step]
    with pytest.raises(ApplicationError) as error:
        make_referral(veterans["mine"], providers["canteen"], by=people["worker"], **dates)
    assert error.value.field == field


def test_acceptance_before_the_referral_and_closing_before_acceptance_are_refused(people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"], referred_on=_days_ago(5))
    with pytest.raises(ApplicationError, match="不能早于转介日期") as error:
        referral_answer(referral=referral, accepted=True, answered_on=_days_ago(6), acting_user=people["station"])
    assert error.value.field == "answered_on"
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        referral_answer(referral=referral, accepted=True, answered_on=_days_ago(-1), acting_user=people["station"])
    referral_answer(referral=referral, accepted=True, answered_on=_days_ago(3), acting_user=people["station"])
    with pytest.raises(ApplicationError, match="不能早于接收日期") as error:
        referral_close(referral=referral, outcome="已送餐", closed_on=_days_ago(4), acting_user=people["station"])
    assert error.value.field == "closed_on"
    referral.refresh_from_db()
    assert (referral.status, referral.closed_on) == ("accepted", None)


def test_steps_the_status_does_not_allow_name_the_status(people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    with pytest.raises(ApplicationError, match="当前状态为“已转介待接收”"):
        referral_close(referral=referral, outcome="x", closed_on=_days_ago(0), acting_user=people["station"])
    referral_answer(
        referral=referral, accepted=False, note="名额已满", answered_on=_days_ago(0), acting_user=people["station"]
    )
    with pytest.raises(ApplicationError, match="当前状态为“已拒收”"):
        referral_note_add(referral=referral, text="再联系", acting_user=people["worker"])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.notes.last().text == "幸福里助老食堂拒收：名额已满"


def test_a_decline_needs_a_reason(people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    with pytest.raises(ApplicationError, match="拒收时请记录原因"):
        referral_answer(referral=referral, accepted=False, answered_on=_days_ago(0), acting_user=people["station"])


def test_a_grid_worker_may_follow_up_but_not_record_the_answer_or_close(people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    with pytest.raises(ApplicationError, match="没有办理转介此环节的权限"):
        referral_answer(referral=referral, accepted=True, answered_on=_days_ago(0), acting_user=people["worker"])
    referral_note_add(
        referral=referral, text="已电话询问食堂", follow_up_on=_days_ago(-3), acting_user=people["worker"]
    )
    referral.refresh_from_db()
    assert (referral.status, referral.follow_up_on) == ("referred", _days_ago(-3))
    assert referral.notes.last().kind == NoteKind.FOLLOW_UP


def test_another_streets_station_cannot_touch_the_referral(tree, people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    other_station = make_staff(tree["street_b"], role=Role.STATION_STAFF)
    with pytest.raises(ApplicationError, match="该转介不在您的管辖范围内"):
        referral_cancel(referral=referral, reason="重复", acting_user=other_station)
    referral_cancel(referral=referral, reason="重复登记", acting_user=people["station"])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED


def test_only_the_districts_center_keeps_the_list(tree, people):
    with pytest.raises(ApplicationError, match="由区/县退役军人服务中心维护"):
        make_provider(tree["district"], name="街道自建", acting_user=people["station"])
    with pytest.raises(ApplicationError, match="没有维护服务机构的权限"):
        make_provider(tree["district"], name="网格自建", acting_user=people["worker"])
    make_provider(tree["district"], name="区中心登记", acting_user=people["center"])
    assert list(Provider.objects.values_list("name", flat=True)) == ["区中心登记"]


def test_a_center_cannot_move_another_districts_team_into_its_own(tree, people):
    other = StreetFactory(name="外区街道").district
    team = make_team(other)
    team.district = tree["district"]
    with pytest.raises(ApplicationError, match="不能修改该区/县的名录"):
        from referrals.services import team_save

        team_save(team=team, acting_user=people["center"])
    assert VolunteerTeam.objects.get(pk=team.pk).district == other


def test_a_volunteer_team_provider_needs_its_team_of_the_same_district(tree, people):
    other_team = make_team(StreetFactory().district, name="外区应急队")
    with pytest.raises(ApplicationError, match="请选择对应的服务队"):
        make_provider(tree["district"], name="红星团", kind="volunteer_team", acting_user=people["center"])
    with pytest.raises(ApplicationError, match="不属于该区/县"):
        make_provider(
            tree["district"], name="外队", kind="volunteer_team", team=other_team, acting_user=people["center"]
        )


def test_a_volunteers_phone_is_stored_encrypted(tree, people):
    from django.db import connection

    volunteer = make_volunteer(make_team(tree["district"]), acting_user=people["center"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM referrals_volunteer WHERE id = %s", [volunteer.pk])
        stored = cursor.fetchone()[0]
    assert stored and "13700001111" not in stored
    volunteer.refresh_from_db()
    assert volunteer.phone == "13700001111"
