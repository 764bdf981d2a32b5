import datetime

from django_celery_beat.models import PeriodicTask

from grids.scoping import SYSTEM
from merging.models import DuplicatePair, MatchReason
from merging.tasks import find_duplicates
from veterans.models import Veteran
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran


def test_nightly_job_is_scheduled(db):
    assert PeriodicTask.objects.get(name="查找疑似重复档案").task == "merging.tasks.find_duplicates"


def test_nightly_job_records_pairs(tree):
    first = make_veteran(tree["grid_a11"], name="张建国", phone="")
    second = make_veteran(tree["grid_b11"], name="张建国", phone="")

    assert find_duplicates() == 1

    assert MatchReason.NAME_BIRTH in DuplicatePair.objects.get().reasons
    assert (DuplicatePair.objects.get().first_id, DuplicatePair.objects.get().second_id) == (first.pk, second.pk)
    assert find_duplicates() == 0


def test_a_new_file_is_paired_after_commit(tree, django_capture_on_commit_callbacks):
    first = make_veteran(tree["grid_a11"], name="张建国", phone="")

    with django_capture_on_commit_callbacks(execute=True):
        second = make_veteran(tree["grid_a12"], name="张建国", phone="")

    assert DuplicatePair.objects.filter(first=first, second=second).exists()


def test_changing_the_phone_of_a_file_finds_its_pair(tree, django_capture_on_commit_callbacks):
    first = make_veteran(tree["grid_a11"], name="王一", phone="13900000009")
    second = make_veteran(tree["grid_a12"], name="赵二", phone="13900000008", birth_date=datetime.date(1960, 1, 2))

    with django_capture_on_commit_callbacks(execute=True):
        veteran_update(veteran=second, phone="13900000009", acting_user=SYSTEM)

    assert DuplicatePair.objects.get(first=first, second=second).reasons == [MatchReason.PHONE]


def test_changing_other_fields_looks_for_nothing(tree, django_capture_on_commit_callbacks):
    make_veteran(tree["grid_a11"], name="张建国", phone="")
    second = make_veteran(tree["grid_a12"], name="张建国", phone="")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        veteran_update(veteran=second, notes="住院", acting_user=SYSTEM)

    assert callbacks == []
    assert not DuplicatePair.objects.exists()


def test_an_import_pairs_its_new_files_after_commit(tree, django_capture_on_commit_callbacks):
    from grids.tests.factories import make_staff
    from veterans.import_services import veteran_import_confirm, veteran_import_start
    from veterans.tests.factories import next_id_number
    from veterans.tests.xlsx_helpers import veteran_row, xlsx_file

    grid = tree["grid_a11"]
    station = make_staff(tree["community_a1"])
    existing = make_veteran(grid, name="张建国", phone="")
    rows = [veteran_row(姓名="张建国", 公民身份号码=next_id_number(), 网格编码=grid.code)]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)

    imported = Veteran.objects.exclude(pk=existing.pk).get()
    assert MatchReason.NAME_BIRTH in DuplicatePair.objects.get(first=existing, second=imported).reasons
