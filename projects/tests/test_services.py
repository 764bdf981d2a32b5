import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from projects.models import ProjectStatus, ServiceDelivery, ServiceEvaluation, ServiceNeed, ServiceProject
from projects.services import evaluation_record, need_record, project_deliver, project_propose, project_review
from projects.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def test_a_need_is_placed_in_the_persons_grid_and_audited(need, veterans, tree):
    assert need.grid == tree["grid_a11"] and need.street == tree["street_a"]
    assert AuditEvent.objects.filter(object_id=str(need.pk)).exists()


def test_worker_cannot_record_a_need_for_someone_of_another_grid(people, veterans):
    with pytest.raises(ApplicationError) as error:
        need_record(
            person=veterans["theirs"],
            description="x",
            source="station",
            recorded_on=DAY,
            acting_user=people["worker"],
        )
    assert "李长青" not in error.value.message and error.value.code == "out_of_scope"
    assert not ServiceNeed.objects.exists()


def test_a_need_dated_tomorrow_is_refused(people, veterans):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError, match="登记日期不能晚于今天"):
        need_record(
            person=veterans["mine"],
            description="x",
            source="station",
            recorded_on=tomorrow,
            acting_user=people["worker"],
        )


def test_a_project_keeps_the_smallest_area_of_its_people(proposed, veterans, tree):
    assert set(proposed.people.all()) == {veterans["mine"], veterans["neighbour"]}
    assert (proposed.street, proposed.community, proposed.grid) == (tree["street_a"], tree["community_a1"], None)
    assert proposed.needs.count() == 1 and proposed.status == ProjectStatus.PROPOSED


def test_station_cannot_propose_for_people_of_another_street(people, veterans):
    with pytest.raises(ApplicationError) as error:
        project_propose(title="x", people=[veterans["theirs"]], proposed_on=DAY, acting_user=people["station"])
    assert error.value.code == "out_of_scope" and "李长青" not in error.value.message
    assert not ServiceProject.objects.exists()


def test_a_need_cannot_be_proposed_twice(people, need, proposed):
    with pytest.raises(ApplicationError, match="已列入服务项目"):
        project_propose(title="再次", needs=[need], proposed_on=DAY, acting_user=people["station2"])


def test_a_proposal_dated_before_the_need_is_refused(people, need):
    with pytest.raises(ApplicationError, match="立项日期不能早于需求登记日期"):
        project_propose(
            title="x", needs=[need], proposed_on=DAY - datetime.timedelta(days=1), acting_user=people["station"]
        )


def test_the_proposer_may_not_review_their_own_proposal(people, proposed):
    with pytest.raises(ApplicationError, match="不能审核自己"):
        project_review(project=proposed, approve=True, reviewed_on=DAY, acting_user=people["station"])
    proposed.refresh_from_db()
    assert proposed.status == ProjectStatus.PROPOSED


def test_a_grid_worker_may_not_review(people, proposed):
    with pytest.raises(ApplicationError) as error:
        project_review(project=proposed, approve=True, reviewed_on=DAY, acting_user=people["worker"])
    assert error.value.code == "forbidden"


def test_a_station_of_another_street_cannot_see_the_project_to_review(people, proposed):
    with pytest.raises(ApplicationError) as error:
        project_review(project=proposed, approve=True, reviewed_on=DAY, acting_user=people["other_station"])
    assert error.value.code == "out_of_scope"


def test_refusing_needs_a_note_and_leaves_the_need_open_for_another_proposal(people, proposed, need):
    with pytest.raises(ApplicationError, match="审核意见"):
        project_review(
            project=proposed,
            approve=False,
            reviewed_on=DAY + datetime.timedelta(days=1),
            acting_user=people["station2"],
        )
    project_review(
        project=proposed,
        approve=False,
        reviewed_on=DAY + datetime.timedelta(days=1),
        note="重复",
        acting_user=people["station2"],
    )
    again = project_propose(
        title="再次", needs=[need], proposed_on=DAY + datetime.timedelta(days=3), acting_user=people["station2"]
    )
    need.refresh_from_db()
    assert need.project == again


def test_review_before_the_proposal_date_is_refused(people, proposed):
    with pytest.raises(ApplicationError, match="审核日期不能早于立项日期"):
        project_review(project=proposed, approve=True, reviewed_on=DAY, acting_user=people["leader"])


def test_a_step_the_status_does_not_allow_names_the_status(people, proposed):
    with pytest.raises(ApplicationError, match="待审核"):
        project_deliver(project=proposed, delivered_on=DAY, delivered_by="x", cost="0", acting_user=people["station2"])


def test_delivery_writes_a_row_per_person_with_days_from_need_or_approval(delivered, veterans):
    assert delivered.status == ProjectStatus.DELIVERED and delivered.cost == Decimal("360.00")
    days = dict(ServiceDelivery.objects.values_list("person__name", "days_taken"))
    # 王德顺's need was recorded on DAY; 陈永福 had none, so his clock starts at approval (DAY+2).
    assert days == {"王德顺": 10, "陈永福": 8}
    mine = ServiceDelivery.objects.get(person=veterans["mine"])
    assert mine.grid_id == veterans["mine"].grid_id


@pytest.mark.parametrize("cost", ["-1", "abc", "1.234"])
def test_a_bad_cost_is_refused(people, approved, cost):
    with pytest.raises(ApplicationError) as error:
        project_deliver(
            project=approved,
            delivered_on=DAY + datetime.timedelta(days=3),
            delivered_by="镇卫生院",
            cost=cost,
            acting_user=people["station2"],
        )
    assert error.value.field == "cost"
    assert not ServiceDelivery.objects.exists()


def test_delivery_before_approval_is_refused(people, approved):
    with pytest.raises(ApplicationError, match="交付日期不能早于批准日期"):
        project_deliver(
            project=approved, delivered_on=DAY, delivered_by="镇卫生院", cost="0", acting_user=people["station2"]
        )


def _mine(veterans):
    return ServiceDelivery.objects.get(person=veterans["mine"])


def test_evaluations_close_the_project_when_everyone_has_rated(people, delivered, veterans):
    later = DAY + datetime.timedelta(days=12)
    evaluation_record(
        delivery=_mine(veterans), satisfaction=5, comment="很满意", evaluated_on=later, acting_user=people["worker"]
    )
    delivered.refresh_from_db()
    assert delivered.status == ProjectStatus.DELIVERED
    other = ServiceDelivery.objects.get(person=veterans["neighbour"])
    evaluation_record(delivery=other, satisfaction="3", evaluated_on=later, acting_user=people["station"])
    delivered.refresh_from_db()
    assert delivered.status == ProjectStatus.EVALUATED
    assert ServiceEvaluation.objects.get(person=veterans["mine"]).grid_id == veterans["mine"].grid_id


@pytest.mark.parametrize("satisfaction", [0, 6, "x", None])
def test_satisfaction_outside_one_to_five_is_refused(people, delivered, veterans, satisfaction):
    with pytest.raises(ApplicationError, match="1至5"):
        evaluation_record(
            delivery=_mine(veterans),
            satisfaction=satisfaction,
            evaluated_on=DAY + datetime.timedelta(days=12),
            acting_user=people["worker"],
        )
    assert not ServiceEvaluation.objects.exists()


def test_evaluation_before_delivery_is_refused(people, delivered, veterans):
    with pytest.raises(ApplicationError, match="评价日期不能早于交付日期"):
        evaluation_record(delivery=_mine(veterans), satisfaction=4, evaluated_on=DAY, acting_user=people["worker"])


def test_a_person_rates_once(people, delivered, veterans):
    later = DAY + datetime.timedelta(days=12)
    evaluation_record(delivery=_mine(veterans), satisfaction=4, evaluated_on=later, acting_user=people["worker"])
    with pytest.raises(ApplicationError, match="已评价"):
        evaluation_record(delivery=_mine(veterans), satisfaction=4, evaluated_on=later, acting_user=people["worker"])


def test_a_worker_cannot_rate_for_someone_of_another_grid(people, delivered, veterans):
    other = ServiceDelivery.objects.get(person=veterans["neighbour"])
    with pytest.raises(ApplicationError) as error:
        evaluation_record(
            delivery=other,
            satisfaction=4,
            evaluated_on=DAY + datetime.timedelta(days=12),
            acting_user=people["worker"],
        )
    assert error.value.code == "out_of_scope" and "陈永福" not in error.value.message
