"""No silent overwrite: a phone's change to a field someone changed on the server since the phone
took the file is kept as a conflict with both values; the other fields are written."""

import pytest

from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import make_staff
from offline.models import ConflictStatus, FieldConflict
from offline.selectors import file_version
from offline.services import field_conflict_resolve, veteran_phone_update
from veterans.models import Veteran, VeteranChange
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran


@pytest.fixture
def people(tree):
    person = make_veteran(tree["grid_a11"], phone="13912345678", residence_address="后山村12号")
    return {
        "person": person,
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
    }


def test_a_change_nobody_else_made_is_written(people):
    person, worker = people["person"], people["worker"]
    seen = file_version(person.pk)
    conflicts = veteran_phone_update(
        veteran=person, changes={"phone": "13800001111"}, base_version=seen, acting_user=worker
    )
    assert conflicts == []
    assert Veteran.objects.get(pk=person.pk).phone == "13800001111"
    assert VeteranChange.objects.get(veteran=person, field="phone").reason == "网格员手机更新"


def test_a_field_changed_meanwhile_is_kept_apart_with_both_values(people):
    person, worker, station = people["person"], people["worker"], people["station"]
    seen = file_version(person.pk)  # the phone takes the file, then loses signal
    veteran_update(veteran=person, acting_user=station, phone="13722223333")  # the station, meanwhile
    conflicts = veteran_phone_update(
        veteran=person,
        changes={"phone": "13800001111", "residence_address": "山下新村3号"},
        base_version=seen,
        acting_user=worker,
    )
    person.refresh_from_db()
    assert person.phone == "13722223333"  # not overwritten
    assert person.residence_address == "山下新村3号"  # nobody else touched it: written
    (conflict,) = conflicts
    assert (conflict.field, conflict.server_value, conflict.submitted_value) == ("phone", "13722223333", "13800001111")
    assert conflict.grid_id == person.grid_id and conflict.status == ConflictStatus.OPEN


def test_the_same_value_on_both_sides_is_no_conflict(people):
    person, worker, station = people["person"], people["worker"], people["station"]
    seen = file_version(person.pk)
    veteran_update(veteran=person, acting_user=station, phone="13800001111")
    assert (
        veteran_phone_update(veteran=person, changes={"phone": "13800001111"}, base_version=seen, acting_user=worker)
        == []
    )
    assert not FieldConflict.objects.exists()


def test_resolving_takes_or_keeps_and_only_once(people):
    person, worker, station = people["person"], people["worker"], people["station"]
    seen = file_version(person.pk)
    veteran_update(veteran=person, acting_user=station, phone="13722223333")
    (conflict,) = veteran_phone_update(
        veteran=person, changes={"phone": "13800001111"}, base_version=seen, acting_user=worker
    )
    field_conflict_resolve(conflict=conflict, take_submitted=True, acting_user=station)
    person.refresh_from_db()
    assert person.phone == "13800001111"
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.TAKEN and conflict.resolved_by == station
    with pytest.raises(ApplicationError, match="该冲突已处理"):
        field_conflict_resolve(conflict=conflict, take_submitted=False, acting_user=station)


def test_a_file_outside_the_scope_is_refused(people, tree):
    stranger = make_staff(grids=[tree["grid_a12"]])
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        veteran_phone_update(
            veteran=people["person"], changes={"phone": "13800001111"}, base_version=0, acting_user=stranger
        )
