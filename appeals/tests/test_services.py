import datetime

import pytest

from appeals.models import Appeal, AppealNote, AppealStatus, NoteKind
from appeals.services import (
    appeal_assign,
    appeal_cancel,
    appeal_documents_receive,
    appeal_feedback,
    appeal_note_add,
    appeal_resolve,
)
from core.errors import ApplicationError
from veterans.services import veteran_remove
from veterans.tests.factories import make_veteran
from visits.services import visit_record

NOV_2 = datetime.date(2026, 11, 2)


def test_deadline_counts_working_days_over_the_national_day_holiday(open_appeal):
    appeal = open_appeal(received_on=datetime.date(2026, 9, 28))
    # 9-29, 9-30, then the holiday 10-1..10-8, then 10-9 and the make-up Saturday 10-10.
    assert appeal.deadline == datetime.date(2026, 10, 10)
    assert appeal.status == AppealStatus.ACCEPTED
    assert appeal.grid_id == appeal.veteran.grid_id and appeal.street_id == appeal.veteran.street_id
    assert list(appeal.notes.values_list("kind", flat=True)) == [NoteKind.ACCEPT]


def test_the_whole_road_to_a_satisfied_veteran(open_appeal, people):
    appeal = open_appeal()
    appeal_note_add(appeal=appeal, text="已电话联系，约定上门", acting_user=people["worker"])
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_PROGRESS
    appeal_assign(appeal=appeal, handler=people["station"], acting_user=people["station"])
    appeal_resolve(appeal=appeal, resolution="已协助办理优待证", resolved_on=NOV_2, acting_user=people["station"])
    appeal_feedback(appeal=appeal, satisfaction="satisfied", acting_user=people["worker"])
    appeal.refresh_from_db()
    assert (appeal.status, appeal.handler, appeal.satisfaction) == ("closed", people["station"], "satisfied")
    kinds = list(appeal.notes.values_list("kind", flat=True))
    assert kinds == ["accept", "progress", "assign", "resolve", "feedback"]


def test_a_dissatisfied_veteran_reopens_the_appeal_and_must_say_why(open_appeal, people):
    appeal = open_appeal()
    appeal_resolve(appeal=appeal, resolution="已答复", resolved_on=NOV_2, acting_user=people["station"])
    with pytest.raises(ApplicationError, match="不满意时请记录"):
        appeal_feedback(appeal=appeal, satisfaction="dissatisfied", acting_user=people["worker"])
    appeal_feedback(appeal=appeal, satisfaction="dissatisfied", feedback="答复不清楚", acting_user=people["worker"])
    appeal.refresh_from_db()
    assert (appeal.status, appeal.reopened, appeal.resolved_on) == ("in_progress", 1, None)


def test_agency_service_is_resolved_only_with_every_document_in_hand(open_appeal, agency, people):
    appeal = open_appeal(category=agency)
    documents = list(appeal.documents.order_by("id"))
    assert [d.name for d in documents] == ["身份证复印件", "伤残评定申请表"]
    appeal_documents_receive(
        appeal=appeal, document_ids=[documents[0].pk], received_on=NOV_2, acting_user=people["station"]
    )
    with pytest.raises(ApplicationError, match="材料未齐，尚缺：伤残评定申请表"):
        appeal_resolve(appeal=appeal, resolution="已递交", resolved_on=NOV_2, acting_user=people["station"])
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED
    appeal_documents_receive(
        appeal=appeal, document_ids=[documents[1].pk], received_on=NOV_2, acting_user=people["station"]
    )
    appeal_resolve(appeal=appeal, resolution="已递交市局评定", resolved_on=NOV_2, acting_user=people["station"])
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.RESOLVED


@pytest.mark.parametrize(
    "step",
    [
        lambda a, p: appeal_resolve(appeal=a, resolution="再办一次", resolved_on=NOV_2, acting_user=p["station"]),
        lambda a, p: appeal_note_add(appeal=a, text="补充", acting_user=p["worker"]),
        lambda a, p: appeal_cancel(appeal=a, reason="重复", acting_user=p["station"]),
        lambda a, p: appeal_assign(appeal=a, handler=p["station"], acting_user=p["station"]),
    ],
)
def test_a_closed_appeal_refuses_further_steps_naming_its_status(open_appeal, people, step):
    appeal = open_appeal()
    appeal_resolve(appeal=appeal, resolution="已答复", resolved_on=NOV_2, acting_user=people["station"])
    appeal_feedback(appeal=appeal, satisfaction="basically", acting_user=people["worker"])
    notes = AppealNote.objects.count()
    with pytest.raises(ApplicationError, match="“已回访”"):
        step(appeal, people)
    assert AppealNote.objects.count() == notes


def test_feedback_before_resolution_and_cancel_without_reason_are_refused(open_appeal, people):
    appeal = open_appeal()
    with pytest.raises(ApplicationError, match="“已受理”"):
        appeal_feedback(appeal=appeal, satisfaction="satisfied", acting_user=people["worker"])
    with pytest.raises(ApplicationError, match="撤销原因"):
        appeal_cancel(appeal=appeal, reason=" ", acting_user=people["station"])
    appeal_cancel(appeal=appeal, reason="老人表示已自行解决", acting_user=people["station"])
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.CANCELLED


def test_impossible_dates_are_refused(open_appeal, people):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ApplicationError, match="受理日期不能晚于今天") as error:
        open_appeal(received_on=tomorrow)
    assert error.value.field == "received_on"
    appeal = open_appeal()
    with pytest.raises(ApplicationError, match="办结日期不能早于受理日期"):
        appeal_resolve(
            appeal=appeal, resolution="x", resolved_on=NOV_2 - datetime.timedelta(days=1), acting_user=people["station"]
        )
    assert Appeal.objects.count() == 1


def test_grid_workers_cannot_assign_resolve_or_cancel(open_appeal, people):
    appeal = open_appeal()
    for step in (
        lambda: appeal_assign(appeal=appeal, handler=people["worker"], acting_user=people["worker"]),
        lambda: appeal_resolve(appeal=appeal, resolution="x", resolved_on=NOV_2, acting_user=people["worker"]),
        lambda: appeal_cancel(appeal=appeal, reason="x", acting_user=people["worker"]),
    ):
        with pytest.raises(ApplicationError) as error:
            step()
        assert error.value.code == "forbidden"


def test_nobody_reaches_across_the_boundary(open_appeal, people, veterans):
    appeal = open_appeal()
    with pytest.raises(ApplicationError) as error:
        appeal_note_add(appeal=appeal, text="越界", acting_user=people["other_worker"])
    assert error.value.code == "out_of_scope"
    with pytest.raises(ApplicationError) as error:
        appeal_assign(appeal=appeal, handler=people["station"], acting_user=people["other_station"])
    assert error.value.code == "out_of_scope"
    with pytest.raises(ApplicationError) as error:
        open_appeal(veteran=veterans["theirs"])
    assert error.value.code == "out_of_scope"
    with pytest.raises(ApplicationError, match="承办人须是负责") as error:
        appeal_assign(appeal=appeal, handler=people["other_station"], acting_user=people["station"])
    assert Appeal.objects.get(pk=appeal.pk).handler is None


def test_a_removed_record_or_someone_elses_visit_is_refused(open_appeal, people, veterans, tree):
    visit, _created = visit_record(veteran=veterans["mine"], acting_user=people["worker"], method="home")
    appeal = open_appeal(visit=visit)
    assert appeal.visit == visit
    neighbour = make_veteran(tree["grid_a11"], name="赵大年")
    with pytest.raises(ApplicationError, match="来源走访不是对该退役军人的走访"):
        open_appeal(veteran=neighbour, visit=visit)
    veteran_remove(veteran=neighbour, reason="重复建档", acting_user=people["station"])
    neighbour.refresh_from_db()
    with pytest.raises(ApplicationError, match="已注销"):
        open_appeal(veteran=neighbour)
    assert Appeal.objects.count() == 1
