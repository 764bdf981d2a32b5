import datetime

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from grids.scoping import SYSTEM
from grids.tests.factories import CommunityFactory
from party.models import Attendance, FollowUp, FollowUpStep, Membership
from party.services import (
    attendance_mark,
    followup_assign,
    followup_bring_in,
    followup_close,
    followup_open,
    followup_step_add,
    followups_open_missing,
    life_record,
    membership_add,
    membership_end,
)
from party.tasks import open_party_followups
from party.tests.conftest import DAY, make_organisation
from veterans.models import VeteranChange

TODAY = timezone.localdate


def test_the_nightly_job_opens_one_follow_up_per_pocket_or_mobile_member(members):
    assert open_party_followups() == 2
    assert open_party_followups() == 0  # idempotent
    opened = FollowUp.objects.order_by("person__name")
    assert [(f.person.name, f.relation_at_opening, f.status) for f in opened] == [
        ("李长青", "mobile", "open"),
        ("王德顺", "pocket", "open"),
    ]
    assert opened[1].grid_id == members["pocket"].grid_id


def test_a_station_opens_follow_ups_of_its_own_street_only(members, people):
    assert followups_open_missing(acting_user=people["station"]) == 1
    assert FollowUp.objects.get().person == members["pocket"]


def test_a_non_member_or_an_in_place_member_is_not_followed_up(members, people):
    for person, words in ((members["not_member"], "不是中共党员"), (members["in_place"], "只有口袋党员和流动党员")):
        with pytest.raises(ApplicationError, match=words):
            followup_open(person=person, acting_user=SYSTEM)
    assert not FollowUp.objects.exists()


def test_a_second_open_follow_up_is_refused(members):
    followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=DAY)
    with pytest.raises(ApplicationError, match="已有进行中的跟进"):
        followup_open(person=members["pocket"], acting_user=SYSTEM)


def test_a_station_cannot_open_one_outside_its_area(members, people):
    with pytest.raises(ApplicationError) as refused:
        followup_open(person=members["mobile"], acting_user=people["station"])
    assert refused.value.code == "out_of_scope" and "李长青" not in refused.value.message


def test_assigning_names_a_worker_of_the_members_area(members, people):
    follow_up = followup_open(person=members["pocket"], acting_user=people["station"], opened_on=DAY)
    followup_assign(follow_up=follow_up, assigned_to=people["worker"], acting_user=people["station"])
    follow_up.refresh_from_db()
    assert follow_up.assigned_to == people["worker"]
    with pytest.raises(ApplicationError, match="责任人须是"):
        followup_assign(follow_up=follow_up, assigned_to=people["other_worker"], acting_user=people["station"])
    follow_up.refresh_from_db()
    assert follow_up.assigned_to == people["worker"]


def test_steps_refuse_future_dates_and_dates_before_opening(members, people):
    follow_up = followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=DAY)
    with pytest.raises(ApplicationError, match="跟进日期不能晚于今天"):
        followup_step_add(
            follow_up=follow_up,
            on=TODAY() + datetime.timedelta(days=1),
            kind="contact",
            note="电话",
            acting_user=SYSTEM,
        )
    with pytest.raises(ApplicationError, match="不能早于开始日期"):
        followup_step_add(
            follow_up=follow_up, on=DAY - datetime.timedelta(days=1), kind="contact", note="电话", acting_user=SYSTEM
        )
    step = followup_step_add(
        follow_up=follow_up, on=DAY, kind="contact", note="电话联系本人", acting_user=people["worker"]
    )
    assert step.recorded_by == people["worker"]
    assert FollowUpStep.objects.count() == 1


def test_a_worker_of_another_grid_cannot_record_a_step(members, people):
    follow_up = followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=DAY)
    with pytest.raises(ApplicationError):
        followup_step_add(follow_up=follow_up, on=DAY, kind="contact", note="x", acting_user=people["other_worker"])
    assert not FollowUpStep.objects.exists()


def test_closing_without_a_membership_is_refused(members, people):
    follow_up = followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=DAY)
    with pytest.raises(ApplicationError, match="尚未转入任何党组织"):
        followup_close(follow_up=follow_up, closed_on=DAY, acting_user=people["station"])
    follow_up.refresh_from_db()
    assert follow_up.is_open


def test_bringing_in_closes_and_sets_the_relation_through_the_file(members, people, branches):
    follow_up = followup_open(person=members["pocket"], acting_user=people["station"], opened_on=DAY)
    followup_bring_in(
        follow_up=follow_up, organisation=branches["a1"], joined_on=DAY, closed_on=DAY, acting_user=people["station"]
    )
    follow_up.refresh_from_db()
    members["pocket"].refresh_from_db()
    assert follow_up.status == "closed" and follow_up.closed_on == DAY
    assert follow_up.membership.organisation == branches["a1"]
    assert members["pocket"].party_relation == "in_place"
    change = VeteranChange.objects.get(veteran=members["pocket"], field="party_relation")
    assert change.new_value == "in_place" and "a1社区退役军人党支部" in change.reason
    with pytest.raises(ApplicationError, match="已于"):
        followup_step_add(follow_up=follow_up, on=DAY, kind="other", note="x", acting_user=people["station"])


def test_a_membership_outside_the_members_district_is_refused(members):
    elsewhere = make_organisation(CommunityFactory(), "外区党支部")
    with pytest.raises(ApplicationError, match="所在区/县"):
        membership_add(person=members["pocket"], organisation=elsewhere, joined_on=DAY, acting_user=SYSTEM)
    assert not Membership.objects.exists()


def test_a_membership_needs_a_party_member_and_a_possible_date(members, branches):
    with pytest.raises(ApplicationError, match="不是中共党员"):
        membership_add(person=members["not_member"], organisation=branches["a1"], joined_on=DAY, acting_user=SYSTEM)
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        membership_add(
            person=members["pocket"],
            organisation=branches["a1"],
            joined_on=TODAY() + datetime.timedelta(days=3),
            acting_user=SYSTEM,
        )
    with pytest.raises(ApplicationError, match="不能早于出生日期"):
        membership_add(
            person=members["pocket"],
            organisation=branches["a1"],
            joined_on=datetime.date(1940, 1, 1),
            acting_user=SYSTEM,
        )
    assert not Membership.objects.exists()


def test_one_active_membership_at_a_time(members, branches, tree):
    other = make_organisation(tree["community_a2"], "a2社区党支部")
    first = membership_add(person=members["in_place"], organisation=branches["a1"], joined_on=DAY, acting_user=SYSTEM)
    with pytest.raises(ApplicationError, match="请先办理转出"):
        membership_add(person=members["in_place"], organisation=other, joined_on=DAY, acting_user=SYSTEM)
    with pytest.raises(ApplicationError, match="不能早于转入日期"):
        membership_end(membership=first, left_on=DAY - datetime.timedelta(days=1), acting_user=SYSTEM)
    membership_end(membership=first, left_on=DAY, acting_user=SYSTEM)
    membership_add(person=members["in_place"], organisation=other, joined_on=DAY, acting_user=SYSTEM)
    assert Membership.objects.filter(left_on__isnull=True).get().organisation == other


def test_life_records_attendance_of_the_organisations_members_only(members, branches, people):
    membership_add(person=members["in_place"], organisation=branches["a1"], joined_on=DAY, acting_user=SYSTEM)
    life = life_record(
        organisation=branches["a1"], kind="lecture", held_on=DAY, topic="学习党章", acting_user=people["station"]
    )
    assert list(Attendance.objects.values_list("person__name", "status")) == [("赵振华", "absent")]
    attendance_mark(life=life, person=members["in_place"], status="present", acting_user=people["station"])
    with pytest.raises(ApplicationError, match="不是“a1社区退役军人党支部”的党员"):
        attendance_mark(life=life, person=members["pocket"], status="present", acting_user=people["station"])
    assert list(Attendance.objects.values_list("status", flat=True)) == ["present"]


def test_life_in_the_future_or_of_another_area_is_refused(branches, people):
    with pytest.raises(ApplicationError, match="活动日期不能晚于今天"):
        life_record(
            organisation=branches["a1"],
            kind="lecture",
            held_on=TODAY() + datetime.timedelta(days=1),
            topic="党课",
            acting_user=people["station"],
        )
    with pytest.raises(ApplicationError) as refused:
        life_record(
            organisation=branches["b1"], kind="lecture", held_on=DAY, topic="党课", acting_user=people["station"]
        )
    assert refused.value.code == "out_of_scope"
