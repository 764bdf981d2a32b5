import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from employment.models import EmploymentProfile, EmploymentStatus, FairAttendance, JobReferral, StatusChange
from employment.services import (
    certificate_add,
    employment_profile_register,
    employment_profile_update,
    employment_status_change,
    fair_attendance_record,
    job_referral_create,
    job_referral_result,
)
from employment.tests.factories import credit_code, make_employer, make_fair, make_profile
from grids.tests.factories import StreetFactory
from veterans.services import veteran_move_grid

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def test_worker_registers_a_person_of_their_grid_and_the_file_follows(people, veterans):
    profile = employment_profile_register(
        person=veterans["mine"],
        status="seeking",
        status_since=TODAY - 30 * DAY,
        skills="叉车驾驶",
        wants_job=True,
        acting_user=people["worker"],
    )
    profile.refresh_from_db()
    assert (profile.status, profile.grid_id, profile.registered_by) == (
        "seeking",
        veterans["mine"].grid_id,
        people["worker"],
    )
    assert list(profile.changes.values_list("from_status", "to_status")) == [("", "seeking")]
    person = veterans["mine"]
    person.refresh_from_db()
    assert (person.employment, person.skills) == ("job_seeking", "叉车驾驶")
    assert person.changes.filter(field="employment").exists()
    assert AuditEvent.objects.filter(object_id=str(profile.pk), action="create").exists()


def test_worker_cannot_register_someone_of_another_grid(people, veterans):
    with pytest.raises(ApplicationError) as error:
        make_profile(veterans["theirs"], acting_user=people["worker"])
    assert error.value.code == "out_of_scope" and "管辖范围" in error.value.message
    assert "李长青" not in error.value.message
    assert not EmploymentProfile.objects.exists()


def test_a_person_over_sixty_is_registered_only_as_retired(people, veterans):
    with pytest.raises(ApplicationError) as error:
        make_profile(veterans["old"], status="seeking", acting_user=people["worker"])
    assert "劳动年龄" in error.value.message and "已退休" in error.value.message
    assert not EmploymentProfile.objects.exists()
    profile = make_profile(veterans["old"], status="retired", acting_user=people["worker"])
    assert profile.status == "retired"


def test_a_person_is_registered_once(people, veterans):
    make_profile(veterans["mine"], acting_user=people["worker"])
    with pytest.raises(ApplicationError, match="已进行就业登记"):
        make_profile(veterans["mine"], acting_user=people["worker"])


def test_a_future_status_date_is_refused(people, veterans):
    with pytest.raises(ApplicationError) as error:
        employment_profile_register(
            person=veterans["mine"], status="seeking", status_since=TODAY + DAY, acting_user=people["worker"]
        )
    assert error.value.field == "status_since" and "晚于今天" in error.value.message


def test_a_status_change_adds_a_history_row(people, veterans):
    profile = make_profile(veterans["mine"], since=TODAY - 60 * DAY, acting_user=people["worker"])
    employment_status_change(
        profile=profile, status="self_employed", changed_on=TODAY - DAY, note="开办农家乐", acting_user=people["worker"]
    )
    profile.refresh_from_db()
    assert (profile.status, profile.status_since) == ("self_employed", TODAY - DAY)
    last = profile.changes.last()
    assert (last.from_status, last.to_status, last.note, last.actor) == (
        "seeking",
        "self_employed",
        "开办农家乐",
        people["worker"],
    )
    veterans["mine"].refresh_from_db()
    assert veterans["mine"].employment == "self_employed"


def test_a_change_dated_before_the_current_status_is_refused(people, veterans):
    profile = make_profile(veterans["mine"], since=TODAY - 10 * DAY, acting_user=people["worker"])
    with pytest.raises(ApplicationError) as error:
        employment_status_change(
            profile=profile, status="employed", changed_on=TODAY - 20 * DAY, acting_user=people["worker"]
        )
    assert error.value.field == "changed_on" and "早于" in error.value.message
    assert profile.changes.count() == 1


def test_wishes_and_skills_are_updated(people, veterans):
    profile = make_profile(veterans["mine"], acting_user=people["worker"])
    employment_profile_update(
        profile=profile, wants_training=True, wish_note="想学电工", skills="电工", acting_user=people["worker"]
    )
    profile.refresh_from_db()
    assert profile.wants_training and profile.wish_note == "想学电工"
    veterans["mine"].refresh_from_db()
    assert veterans["mine"].skills == "电工"


def test_a_certificate_from_the_future_is_refused(people, veterans):
    profile = make_profile(veterans["mine"], acting_user=people["worker"])
    with pytest.raises(ApplicationError, match="发证日期"):
        certificate_add(
            profile=profile, name="电工证", issuer="县人社局", issued_on=TODAY + DAY, acting_user=people["worker"]
        )
    certificate_add(profile=profile, name="电工证", issuer="县人社局", issued_on=TODAY, acting_user=people["worker"])
    assert profile.certificates.count() == 1


def test_an_invalid_credit_code_is_refused(tree, people):
    with pytest.raises(ApplicationError) as error:
        make_employer(tree["district"], credit_code="91610927000000011Y", acting_user=people["station"])
    assert error.value.field == "credit_code" and "无效" in error.value.message
    with pytest.raises(ApplicationError, match="18位"):
        make_employer(tree["district"], credit_code="123", acting_user=people["station"])


def test_station_cannot_add_an_employer_of_another_district(tree, people):
    other = StreetFactory().district
    with pytest.raises(ApplicationError) as error:
        make_employer(other, acting_user=people["station"])
    assert error.value.code == "out_of_scope"
    make_employer(tree["district"], acting_user=people["station"], credit_code=credit_code(999))


def test_hired_referral_places_the_person(people, veterans, employer):
    make_profile(veterans["mine"], since=TODAY - 60 * DAY, acting_user=people["worker"])
    referral = job_referral_create(
        person=veterans["mine"],
        employer=employer,
        position="仓库管理员",
        referred_on=TODAY - 5 * DAY,
        acting_user=people["station"],
    )
    job_referral_result(referral=referral, result="hired", result_on=TODAY - DAY, acting_user=people["station"])
    referral.refresh_from_db()
    profile = EmploymentProfile.objects.get(person=veterans["mine"])
    assert (referral.result, referral.result_on) == ("hired", TODAY - DAY)
    assert (profile.status, profile.status_since, profile.workplace) == ("employed", TODAY - DAY, employer.name)
    assert profile.changes.last().from_status == "seeking"


def test_a_result_before_the_referral_is_refused(people, veterans, employer):
    make_profile(veterans["mine"], since=TODAY - 60 * DAY)
    referral = job_referral_create(
        person=veterans["mine"],
        employer=employer,
        position="保安",
        referred_on=TODAY - 5 * DAY,
        acting_user=people["station"],
    )
    with pytest.raises(ApplicationError) as error:
        job_referral_result(referral=referral, result="hired", result_on=TODAY - 6 * DAY, acting_user=people["station"])
    assert error.value.field == "result_on" and "早于推荐日期" in error.value.message
    referral.refresh_from_db()
    assert referral.result == "pending"
    assert EmploymentProfile.objects.get().status == "seeking"


def test_a_second_result_is_refused(people, veterans, employer):
    make_profile(veterans["mine"], since=TODAY - 60 * DAY)
    referral = job_referral_create(
        person=veterans["mine"],
        employer=employer,
        position="保安",
        referred_on=TODAY - 5 * DAY,
        acting_user=people["station"],
    )
    job_referral_result(referral=referral, result="rejected", result_on=TODAY, acting_user=people["station"])
    with pytest.raises(ApplicationError, match="已有结果"):
        job_referral_result(referral=referral, result="hired", result_on=TODAY, acting_user=people["station"])


def test_referral_to_an_employer_of_another_district_is_refused(people, veterans, employer):
    make_profile(veterans["mine"], since=TODAY - 60 * DAY)
    far = make_employer(StreetFactory().district, name="外区企业")
    with pytest.raises(ApplicationError) as error:
        job_referral_create(
            person=veterans["mine"], employer=far, position="保安", referred_on=TODAY, acting_user=people["station"]
        )
    assert error.value.field == "employer" and "外区企业" not in error.value.message
    assert not JobReferral.objects.exists()


def test_referral_needs_a_registration_and_the_persons_scope(people, veterans, employer):
    with pytest.raises(ApplicationError, match="尚未进行就业登记"):
        job_referral_create(
            person=veterans["mine"],
            employer=employer,
            position="保安",
            referred_on=TODAY,
            acting_user=people["station"],
        )
    make_profile(veterans["theirs"], since=TODAY - 60 * DAY)
    with pytest.raises(ApplicationError) as error:
        job_referral_create(
            person=veterans["theirs"],
            employer=employer,
            position="保安",
            referred_on=TODAY,
            acting_user=people["station"],
        )
    assert error.value.code == "out_of_scope"


def test_attendance_of_a_fair_not_yet_held_is_refused(tree, people, veterans):
    make_profile(veterans["mine"], since=TODAY - 60 * DAY)
    fair = make_fair(tree["district"], held_on=TODAY + 3 * DAY)
    with pytest.raises(ApplicationError, match="尚未举办"):
        fair_attendance_record(fair=fair, person=veterans["mine"], offers=1, acting_user=people["station"])
    assert not FairAttendance.objects.exists()


def test_a_hire_before_the_fair_day_is_refused_and_after_it_places(tree, people, veterans):
    make_profile(veterans["mine"], since=TODAY - 60 * DAY)
    fair = make_fair(tree["district"], held_on=TODAY - 10 * DAY)
    with pytest.raises(ApplicationError) as error:
        fair_attendance_record(
            fair=fair,
            person=veterans["mine"],
            offers=2,
            hired_on=TODAY - 11 * DAY,
            workplace="某物流公司",
            acting_user=people["station"],
        )
    assert error.value.field == "hired_on"
    attendance = fair_attendance_record(
        fair=fair,
        person=veterans["mine"],
        offers=2,
        offer_employers="某物流公司、某超市",
        hired_on=TODAY - 8 * DAY,
        workplace="某物流公司",
        acting_user=people["station"],
    )
    assert attendance.hired and attendance.grid_id == veterans["mine"].grid_id
    profile = EmploymentProfile.objects.get()
    assert (profile.status, profile.workplace) == (EmploymentStatus.EMPLOYED, "某物流公司")


def test_the_registry_line_follows_the_person_who_moves(tree, people, veterans):
    profile = make_profile(veterans["mine"], since=TODAY - 60 * DAY)
    veteran_move_grid(veteran=veterans["mine"], grid=tree["grid_b11"], acting_user=people["leader"])
    profile.refresh_from_db()
    assert (profile.grid_id, profile.street_id) == (tree["grid_b11"].pk, tree["street_b"].pk)
    assert StatusChange.objects.count() == 1
