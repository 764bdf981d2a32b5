import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from confirmations.models import (
    Confirmation,
    ConfirmationRound,
    ConfirmationStatus,
    SpotCheck,
    SpotCheckStatus,
    SubsidySuspension,
    SuspensionReason,
)
from confirmations.services import (
    confirmation_confirm,
    confirmation_round_open,
    spot_check_record,
    spot_check_start,
    subsidies_suspend_overdue,
)
from confirmations.tasks import confirm_daily
from confirmations.tests.conftest import YEAR
from core.errors import ApplicationError
from grids.scoping import SYSTEM
from veterans.services import veteran_remove
from veterans.tests.factories import make_veteran
from visits.models import Notification
from visits.services import visit_record

JULY_1 = datetime.date(YEAR, 7, 1)


def _row(veteran):
    return Confirmation.objects.get(veteran=veteran, year=YEAR)


def _visit(veteran, by, method="home", when=None):
    when = when or timezone.make_aware(datetime.datetime(YEAR, 3, 5, 10))
    visit, _created = visit_record(veteran=veteran, acting_user=by, method=method, visited_at=when, findings="本人在家")
    return visit


def test_opening_a_round_files_every_recipient_alive_and_on_file(round_, veterans):
    assert round_.deadline == datetime.date(YEAR, 6, 30)
    filed = set(Confirmation.objects.values_list("veteran__name", flat=True))
    assert filed == {"王德顺", "赵援朝", "李长青"}
    assert set(Confirmation.objects.values_list("status", flat=True)) == {ConfirmationStatus.PENDING}
    assert _row(veterans["mine"]).grid_id == veterans["mine"].grid_id


def test_opening_again_adds_newcomers_only(round_, tree):
    newcomer = make_veteran(tree["grid_a12"], name="钱卫国", receives_regular_subsidy=True)
    again = confirmation_round_open(district=tree["district"], year=YEAR, acting_user=SYSTEM)
    assert again == round_ and ConfirmationRound.objects.count() == 1
    assert Confirmation.objects.filter(veteran=newcomer).count() == 1 and Confirmation.objects.count() == 4


def test_the_default_deadline_is_june_30(tree, veterans):
    round_ = confirmation_round_open(district=tree["district"], year=2027, acting_user=SYSTEM)
    assert round_.deadline == datetime.date(2027, 6, 30)


def test_street_station_cannot_open_a_district_round(tree, people, veterans):
    with pytest.raises(ApplicationError):
        confirmation_round_open(district=tree["district"], year=YEAR, acting_user=people["station"])
    assert not ConfirmationRound.objects.exists() and not Confirmation.objects.exists()


def test_district_staff_open_a_round_and_it_is_audited(tree, people, veterans):
    round_ = confirmation_round_open(district=tree["district"], year=YEAR, acting_user=people["district_station"])
    assert round_.opened_by == people["district_station"]
    assert AuditEvent.objects.filter(object_type="confirmations.confirmationround", object_id=str(round_.pk)).exists()


def test_station_confirms_in_person(round_, people, veterans):
    confirmation = confirmation_confirm(
        veteran=veterans["mine"], method="in_person", year=YEAR, notes="本人来站", acting_user=people["station"]
    )
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.method, confirmation.confirmed_by) == (
        "confirmed",
        "in_person",
        people["station"],
    )
    assert confirmation.confirmed_at is not None and confirmation.notes == "本人来站"
    assert AuditEvent.objects.filter(object_type="confirmations.confirmation", object_id=str(confirmation.pk)).exists()


def test_worker_confirms_with_a_home_visit_of_this_year(round_, people, veterans):
    visit = _visit(veterans["mine"], people["worker"])
    confirmation = confirmation_confirm(
        veteran=veterans["mine"], method="visit", visit=visit, year=YEAR, acting_user=people["worker"]
    )
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.visit) == ("confirmed", visit)


@pytest.mark.parametrize(
    "case, message",
    [
        ("no_visit", "须关联一次本年度的走访"),
        ("phone", "入户走访或来站走访"),
        ("last_year", "不在2026年度内"),
        ("someone_else", "不是对该优抚对象的走访"),
    ],
)
def test_a_visit_that_does_not_prove_the_person_alive_is_refused(round_, people, veterans, case, message):
    visit = {
        "no_visit": None,
        "phone": lambda: _visit(veterans["mine"], people["worker"], method="phone"),
        "last_year": lambda: _visit(
            veterans["mine"], people["worker"], when=timezone.make_aware(datetime.datetime(YEAR - 1, 12, 1, 10))
        ),
        "someone_else": lambda: _visit(veterans["second"], people["worker"]),
    }[case]
    visit = visit() if visit else None
    with pytest.raises(ApplicationError, match=message):
        confirmation_confirm(
            veteran=veterans["mine"], method="visit", visit=visit, year=YEAR, acting_user=people["worker"]
        )
    assert _row(veterans["mine"]).status == ConfirmationStatus.PENDING


def test_confirming_someone_outside_scope_is_refused_and_writes_nothing(round_, people, veterans):
    before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as raised:
        confirmation_confirm(veteran=veterans["theirs"], method="in_person", year=YEAR, acting_user=people["station"])
    assert raised.value.code == "out_of_scope"
    assert _row(veterans["theirs"]).status == ConfirmationStatus.PENDING and AuditEvent.objects.count() == before


def test_confirming_twice_in_a_year_is_refused(round_, people, veterans):
    first = confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station"])
    with pytest.raises(ApplicationError, match="不能重复确认"):
        confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station2"])
    first.refresh_from_db()
    assert (
        first.confirmed_by == people["station"] and Confirmation.objects.filter(veteran=veterans["mine"]).count() == 1
    )


def test_confirming_a_deceased_person_is_refused(round_, people, veterans):
    from veterans.models import Veteran

    Veteran.objects.filter(pk=veterans["mine"].pk).update(
        life_status="deceased", life_status_date=datetime.date(YEAR, 2, 1)
    )
    with pytest.raises(ApplicationError, match="不在健在状态"):
        confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station"])
    assert _row(veterans["mine"]).status == ConfirmationStatus.PENDING


def test_confirming_a_removed_file_is_refused(round_, people, veterans):
    veteran_remove(veteran=veterans["mine"], reason="重复建档", acting_user=SYSTEM)
    with pytest.raises(ApplicationError, match="已注销"):
        confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station"])
    assert _row(veterans["mine"]).status == ConfirmationStatus.PENDING


def test_confirming_someone_without_a_regular_subsidy_is_refused(round_, people, veterans):
    with pytest.raises(ApplicationError, match="未享受定期补助"):
        confirmation_confirm(
            veteran=veterans["no_subsidy"], method="in_person", year=YEAR, acting_user=people["station"]
        )
    assert not Confirmation.objects.filter(veteran=veterans["no_subsidy"]).exists()


def test_confirming_before_the_round_opens_is_refused(people, veterans):
    with pytest.raises(ApplicationError, match="尚未开启"):
        confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station"])
    assert not Confirmation.objects.exists()


def test_leader_without_permission_cannot_confirm(round_, people, veterans):
    with pytest.raises(ApplicationError) as raised:
        confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["leader"])
    assert raised.value.code == "forbidden" and _row(veterans["mine"]).status == ConfirmationStatus.PENDING


def test_the_job_suspends_only_the_unconfirmed_after_the_deadline_and_only_once(round_, people, veterans):
    confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station"])
    assert subsidies_suspend_overdue(day=datetime.date(YEAR, 6, 30), acting_user=SYSTEM) == 0
    assert not SubsidySuspension.objects.exists()
    assert subsidies_suspend_overdue(day=JULY_1, acting_user=SYSTEM) == 2
    suspended = set(SubsidySuspension.objects.values_list("veteran__name", "reason", "suspended_on"))
    assert suspended == {("赵援朝", "unconfirmed", JULY_1), ("李长青", "unconfirmed", JULY_1)}
    assert subsidies_suspend_overdue(day=JULY_1 + datetime.timedelta(days=1), acting_user=SYSTEM) == 0
    assert SubsidySuspension.objects.count() == 2


def test_the_station_hears_of_suspensions_in_its_inbox(round_, people, veterans, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subsidies_suspend_overdue(day=JULY_1, acting_user=SYSTEM)
    mine = Notification.objects.get(recipient=people["station"])
    assert "赵援朝" in mine.body and "王德顺" in mine.body and "李长青" not in mine.body
    assert Notification.objects.filter(recipient=people["other_station"], body__contains="李长青").exists()
    assert not Notification.objects.filter(recipient=people["worker"]).exists()


def test_the_daily_task_opens_the_round_and_suspends(tree, veterans):
    assert confirm_daily(day=JULY_1.isoformat()) == 3
    assert ConfirmationRound.objects.get().year == YEAR
    assert confirm_daily(day=JULY_1.isoformat()) == 0


def test_confirmation_resumes_the_subsidy(round_, people, veterans):
    subsidies_suspend_overdue(day=JULY_1, acting_user=SYSTEM)
    confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station"])
    suspension = SubsidySuspension.objects.get(veteran=veterans["mine"])
    assert suspension.resumed_on == timezone.localdate()
    assert AuditEvent.objects.filter(
        object_type="confirmations.subsidysuspension", object_id=str(suspension.pk), detail__has_key="resumed_on"
    ).exists()
    assert SubsidySuspension.objects.filter(resumed_on__isnull=True).count() == 2


def _confirm_many(tree, people, count):
    made = [make_veteran(tree["grid_a11"], name=f"受助{i}", receives_regular_subsidy=True) for i in range(count)]
    confirmation_round_open(district=tree["district"], year=YEAR, acting_user=SYSTEM)
    for veteran in made:
        confirmation_confirm(veteran=veteran, method="in_person", year=YEAR, acting_user=people["station"])
    return made


def test_spot_check_picks_the_share_deterministically_with_a_seed(tree, people, veterans):
    _confirm_many(tree, people, 20)
    first = spot_check_start(year=YEAR, share=0.1, seed=7, acting_user=people["station2"])
    picked = sorted(check.confirmation_id for check in first)
    assert len(picked) == 2 and SpotCheck.objects.count() == 2
    SpotCheck.objects.all().delete()
    again = spot_check_start(year=YEAR, share=0.1, seed=7, acting_user=people["station2"])
    assert sorted(check.confirmation_id for check in again) == picked
    assert all(check.status == SpotCheckStatus.PENDING for check in again)


def test_spot_check_stays_in_the_actors_area(tree, people, veterans):
    _confirm_many(tree, people, 5)
    confirmation_confirm(veteran=veterans["theirs"], method="in_person", year=YEAR, acting_user=people["other_station"])
    checks = spot_check_start(year=YEAR, share=1, seed=1, acting_user=people["station2"])
    assert len(checks) == 5 and {c.street_id for c in checks} == {tree["street_a"].pk}


def test_spot_check_by_the_first_confirmer_is_refused(tree, people, veterans):
    _confirm_many(tree, people, 1)
    (check,) = spot_check_start(year=YEAR, share=1, seed=1, acting_user=people["station2"])
    with pytest.raises(ApplicationError, match="首次确认人以外"):
        spot_check_record(spot_check=check, passed=True, acting_user=people["station"])
    check.refresh_from_db()
    assert check.status == SpotCheckStatus.PENDING and check.checked_by is None


def test_spot_check_passes(tree, people, veterans):
    _confirm_many(tree, people, 1)
    (check,) = spot_check_start(year=YEAR, share=1, seed=1, acting_user=people["station2"])
    spot_check_record(spot_check=check, passed=True, acting_user=people["station2"])
    check.refresh_from_db()
    assert (check.status, check.checked_by) == ("confirmed", people["station2"])
    assert not SubsidySuspension.objects.exists()


def test_a_failed_spot_check_needs_a_reason_and_suspends(tree, people, veterans):
    _confirm_many(tree, people, 1)
    (check,) = spot_check_start(year=YEAR, share=1, seed=1, acting_user=people["station2"])
    with pytest.raises(ApplicationError, match="请填写原因"):
        spot_check_record(spot_check=check, passed=False, acting_user=people["station2"])
    assert not SubsidySuspension.objects.exists()
    spot_check_record(spot_check=check, passed=False, reason="本人已迁居外地", acting_user=people["station2"])
    check.refresh_from_db()
    assert (check.status, check.reason) == ("failed", "本人已迁居外地")
    suspension = SubsidySuspension.objects.get()
    assert (suspension.reason, suspension.confirmation_id) == (SuspensionReason.SPOT_CHECK, check.confirmation_id)
    with pytest.raises(ApplicationError, match="不能重复登记"):
        spot_check_record(spot_check=check, passed=True, acting_user=people["station2"])
