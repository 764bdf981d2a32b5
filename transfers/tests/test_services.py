import datetime

import pytest
from django.utils import timezone

from appeals.models import Appeal, AppealCategory
from appeals.services import appeal_open
from assistance.models import CaseStatus, CaseType, HardshipCase
from assistance.services import case_open
from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.models import Grid
from grids.scoping import SYSTEM, in_scope
from transfers.models import Transfer, TransferStatus
from transfers.selectors import transfers_for
from transfers.services import transfer_accept, transfer_reject, transfer_start
from transfers.tests.factories import make_transfer
from veterans.models import ChangeKind, LifeStatus, Veteran, VeteranChange
from veterans.services import veteran_remove
from veterans.tests.factories import make_veteran
from visits.models import EventKind, MustVisitEvent, Visit
from visits.services import must_visit_event_report, visit_record
from wishes.models import MicroWish
from wishes.services import wish_collect


def _refused(call, message_part: str):
    before = (Transfer.objects.count(), AuditEvent.objects.count(), VeteranChange.objects.count())
    with pytest.raises(ApplicationError) as error:
        call()
    assert message_part in error.value.message
    assert (Transfer.objects.count(), AuditEvent.objects.count(), VeteranChange.objects.count()) == before
    return error.value


def test_station_starts_a_transfer_that_waits_for_the_receiver(areas):
    veteran = make_veteran(areas["home"])
    transfer = transfer_start(veteran=veteran, to_grid=areas["away"], reason="购房迁居", acting_user=areas["sender"])
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING
    assert (transfer.from_grid, transfer.to_grid) == (areas["home"], areas["away"])
    assert transfer.to_street_id == areas["away"].street_id
    assert transfer.started_by == areas["sender"]
    veteran.refresh_from_db()
    assert veteran.grid == areas["home"]  # the file stays until acceptance
    assert AuditEvent.objects.filter(object_id=str(transfer.pk), action="create").exists()


def test_both_sides_see_the_transfer_but_only_the_sender_sees_the_file_before_acceptance(areas):
    transfer = make_transfer(areas)
    assert list(transfers_for(user=areas["sender"])) == [transfer]
    assert list(transfers_for(user=areas["receiver"])) == [transfer]
    assert list(transfers_for(user=areas["receiver"], direction="in")) == [transfer]
    assert list(transfers_for(user=areas["receiver"], direction="out")) == []
    assert list(transfers_for(user=areas["far_center"])) == []
    assert in_scope(areas["sender"], transfer.veteran)
    assert not in_scope(areas["receiver"], transfer.veteran)


def test_acceptance_moves_the_file_and_the_sender_loses_it(areas):
    transfer = make_transfer(areas)
    accepted = transfer_accept(transfer=transfer, acting_user=areas["receiver"])
    accepted.refresh_from_db()
    assert accepted.status == TransferStatus.ACCEPTED
    assert accepted.decided_by == areas["receiver"]
    veteran = Veteran.objects.get(pk=transfer.veteran_id)
    assert (veteran.grid, veteran.street_id, veteran.district_id) == (
        areas["away"],
        areas["away"].street_id,
        areas["district"].pk,
    )
    assert in_scope(areas["receiver"], veteran)
    assert not in_scope(areas["sender"], veteran)
    move = VeteranChange.objects.get(veteran=veteran, kind=ChangeKind.MOVE)
    assert move.actor == areas["receiver"]  # the real actor, though the move ran as a program
    assert AuditEvent.objects.filter(object_id=str(transfer.pk), action="approve", actor=areas["receiver"]).exists()
    # The ledger still shows the move on both sides.
    assert list(transfers_for(user=areas["sender"])) == [accepted]
    assert list(transfers_for(user=areas["receiver"])) == [accepted]


def test_rows_that_follow_the_person_move_with_the_file(areas):
    worker = areas["worker"]
    veteran = make_veteran(areas["home"])
    other = make_veteran(areas["home"], name="李留守")
    today = timezone.localdate()
    visit_record(veteran=veteran, acting_user=worker, method="home", findings="好")
    visit_record(veteran=other, acting_user=worker, method="home", findings="好")
    must_visit_event_report(veteran=veteran, kind=EventKind.HOSPITAL, occurred_on=today, acting_user=worker)
    case_type = CaseType.objects.order_by("id").first()
    case_open(
        veteran=veteran,
        case_type=case_type,
        description="困难",
        reported_on=today,
        amount_requested=case_type.min_amount,
        acting_user=worker,
    )
    appeal_open(
        veteran=veteran,
        category=AppealCategory.objects.order_by("id").first(),
        channel="phone",
        subject="诉求",
        content="诉求",
        received_on=today,
        acting_user=worker,
    )
    wish_collect(veteran=veteran, title="轮椅", estimated_value="100", acting_user=worker)
    transfer = make_transfer(areas, veteran=veteran)
    transfer_accept(transfer=transfer, acting_user=areas["receiver"])
    for model in (Visit, MustVisitEvent, HardshipCase, Appeal, MicroWish):
        rows = model.objects.filter(veteran=veteran)
        assert rows.count() == 1, model
        assert rows.filter(grid=areas["away"], street_id=areas["away"].street_id).count() == 1, model
        assert model.objects.filter(veteran=veteran, grid=areas["home"]).count() == 0
    assert Visit.objects.get(veteran=other).grid == areas["home"]  # the neighbour's rows stay
    event = AuditEvent.objects.get(object_id=str(transfer.pk), action="approve")
    assert event.detail["moved"]["visits.Visit"] == 1


def test_due_dates_follow_the_new_grid(areas):
    veteran = make_veteran(areas["home"])
    transfer = make_transfer(areas, veteran=veteran)
    Veteran.objects.filter(pk=veteran.pk).update(visit_due_on=None)
    transfer_accept(transfer=transfer, acting_user=areas["receiver"])
    veteran.refresh_from_db()
    assert veteran.visit_due_on is not None  # recomputed on acceptance


def test_the_other_districts_center_may_accept(areas):
    transfer = make_transfer(areas, to="far")
    transfer_accept(transfer=transfer, acting_user=areas["far_center"])
    assert Veteran.objects.get(pk=transfer.veteran_id).district_id == areas["far"].district_id


def test_receiver_rejects_with_a_reason_and_the_file_stays(areas):
    transfer = make_transfer(areas)
    transfer_reject(transfer=transfer, reason="地址不符", acting_user=areas["receiver"])
    transfer.refresh_from_db()
    assert (transfer.status, transfer.reject_reason) == (TransferStatus.REJECTED, "地址不符")
    assert Veteran.objects.get(pk=transfer.veteran_id).grid == areas["home"]
    # A new transfer may be started after a rejection.
    make_transfer(areas, veteran=transfer.veteran, to="neighbour")


def test_reject_without_reason_is_refused(areas):
    transfer = make_transfer(areas)
    _refused(lambda: transfer_reject(transfer=transfer, reason=" ", acting_user=areas["receiver"]), "原因")
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING


def test_transfer_to_the_same_grid_is_refused(areas):
    veteran = make_veteran(areas["home"])
    _refused(
        lambda: transfer_start(veteran=veteran, to_grid=areas["home"], reason="x", acting_user=areas["sender"]),
        "无需迁移",
    )


def test_transfer_to_an_area_that_does_not_exist_is_refused(areas):
    veteran = make_veteran(areas["home"])
    ghost = Grid(pk=999999, name="不存在")
    _refused(lambda: transfer_start(veteran=veteran, to_grid=ghost, reason="x", acting_user=areas["sender"]), "不存在")


@pytest.mark.parametrize("state", ["deceased", "moved_out", "removed"])
def test_transfer_of_a_closed_file_is_refused(areas, state):
    veteran = make_veteran(areas["home"])
    if state == "removed":
        veteran_remove(veteran=veteran, reason="重复", acting_user=SYSTEM)
    else:
        Veteran.objects.filter(pk=veteran.pk).update(life_status=state, life_status_date=datetime.date(2024, 1, 1))
    _refused(
        lambda: transfer_start(veteran=veteran, to_grid=areas["away"], reason="x", acting_user=areas["sender"]),
        "不能迁移",
    )


def test_second_pending_transfer_is_refused(areas):
    transfer = make_transfer(areas)
    _refused(
        lambda: transfer_start(
            veteran=transfer.veteran, to_grid=areas["neighbour"], reason="x", acting_user=areas["sender"]
        ),
        "待接收",
    )


def test_transfer_while_money_is_being_paid_is_refused(areas):
    veteran = make_veteran(areas["home"])
    case_type = CaseType.objects.order_by("id").first()
    case = case_open(
        veteran=veteran,
        case_type=case_type,
        description="困难",
        reported_on=timezone.localdate(),
        amount_requested=case_type.min_amount,
        acting_user=areas["worker"],
    )
    HardshipCase.objects.filter(pk=case.pk).update(status=CaseStatus.APPROVED)
    _refused(
        lambda: transfer_start(veteran=veteran, to_grid=areas["away"], reason="x", acting_user=areas["sender"]),
        "尚未发放",
    )


def test_acceptance_while_money_is_being_paid_is_refused(areas):
    transfer = make_transfer(areas)
    case_type = CaseType.objects.order_by("id").first()
    case = case_open(
        veteran=transfer.veteran,
        case_type=case_type,
        description="困难",
        reported_on=timezone.localdate(),
        amount_requested=case_type.min_amount,
        acting_user=areas["worker"],
    )
    HardshipCase.objects.filter(pk=case.pk).update(status=CaseStatus.APPROVED)
    _refused(lambda: transfer_accept(transfer=transfer, acting_user=areas["receiver"]), "尚未发放")
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING
    assert Veteran.objects.get(pk=transfer.veteran_id).grid == areas["home"]


@pytest.mark.parametrize("second", ["accept", "reject"])
@pytest.mark.parametrize("first", ["accept", "reject"])
def test_a_decided_transfer_cannot_be_decided_again(areas, first, second):
    transfer = make_transfer(areas)
    steps = {
        "accept": lambda: transfer_accept(transfer=transfer, acting_user=areas["receiver"]),
        "reject": lambda: transfer_reject(transfer=transfer, reason="不符", acting_user=areas["receiver"]),
    }
    steps[first]()
    moves = VeteranChange.objects.filter(kind=ChangeKind.MOVE).count()
    _refused(steps[second], "不能再次处理")
    assert VeteranChange.objects.filter(kind=ChangeKind.MOVE).count() == moves


@pytest.mark.parametrize("who", ["sender", "far_center", "worker"])
def test_only_the_receiving_side_may_decide(areas, who):
    transfer = make_transfer(areas)
    _refused(lambda: transfer_accept(transfer=transfer, acting_user=areas[who]), "")
    _refused(lambda: transfer_reject(transfer=transfer, reason="不符", acting_user=areas[who]), "")
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING
    assert Veteran.objects.get(pk=transfer.veteran_id).grid == areas["home"]


def test_start_by_someone_who_does_not_hold_the_person_is_refused(areas):
    veteran = make_veteran(areas["home"])
    error = _refused(
        lambda: transfer_start(veteran=veteran, to_grid=areas["neighbour"], reason="x", acting_user=areas["receiver"]),
        "管辖范围",
    )
    assert error.code == "out_of_scope"


def test_start_needs_a_reason(areas):
    veteran = make_veteran(areas["home"])
    _refused(
        lambda: transfer_start(veteran=veteran, to_grid=areas["away"], reason=" ", acting_user=areas["sender"]), "原因"
    )


def test_grid_worker_may_not_start_a_transfer(areas):
    veteran = make_veteran(areas["home"])
    _refused(
        lambda: transfer_start(veteran=veteran, to_grid=areas["away"], reason="x", acting_user=areas["worker"]), "权限"
    )


def test_acceptance_of_a_person_who_died_meanwhile_is_refused(areas):
    transfer = make_transfer(areas)
    Veteran.objects.filter(pk=transfer.veteran_id).update(
        life_status=LifeStatus.DECEASED, life_status_date=datetime.date(2024, 1, 1)
    )
    _refused(lambda: transfer_accept(transfer=transfer, acting_user=areas["receiver"]), "已故")
