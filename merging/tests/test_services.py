import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from merging.finder import ids_near, pairs_find
from merging.models import DuplicatePair, MatchReason, PairStatus
from merging.services import _relations, pair_merge, pair_reject, pair_undo, veteran_merge
from veterans.identity import make_id_number
from veterans.models import ChangeKind, HonourKind, PriorityCare, PriorityCategory, Veteran, VeteranChange
from veterans.services import family_member_save, honour_save, veteran_remove
from veterans.tests.factories import make_veteran
from visits.services import visit_record

BIRTH = datetime.date(1950, 3, 4)


def _twins(grid, **second_fields):
    first = make_veteran(grid, name="张建国", phone="13800000001")
    second = make_veteran(grid, **({"name": "张建国", "phone": "13800000002"} | second_fields))
    return first, second


def _row_counts() -> dict[str, int]:
    return {f"{model._meta.label}.{field}": model._base_manager.count() for model, field in _relations()}


def _rows_of(veteran) -> dict[str, set[int]]:
    return {
        f"{model._meta.label}.{field}": set(model._base_manager.filter(**{field: veteran}).values_list("pk", flat=True))
        for model, field in _relations()
    }


def _swap_adjacent(number: str, at: int) -> str:
    chars = list(number)
    chars[at], chars[at + 1] = chars[at + 1], chars[at]
    return "".join(chars)


def test_ids_near_accepts_one_or_two_digits_and_a_swap_only():
    assert ids_near("120101195003040011", "120101195003040012")
    assert ids_near("120101195003040011", "120101195003040921")
    assert ids_near("120101195003040011", _swap_adjacent("120101195003040011", 14))
    assert not ids_near("120101195003040011", "120101195003049922")
    assert not ids_near("12010119500304001", "120101195003040011")
    # Valid numbers: a swap of two digits changes the check digit as well (three places apart).
    swapped = _swap_adjacent("110105194910010011", 12)
    valid = swapped[:17] + _check_digit(swapped[:17])
    assert valid[17] != "1" and ids_near("110105194910010011", valid)


def test_finder_pairs_same_name_and_birth_date(tree):
    first, second = _twins(tree["grid_a11"])
    other = make_veteran(tree["grid_a11"], name="李秀兰", phone="13800000003")

    assert pairs_find(acting_user=SYSTEM) == 1

    pair = DuplicatePair.objects.get()
    assert (pair.first_id, pair.second_id) == (first.pk, second.pk)
    assert MatchReason.NAME_BIRTH in pair.reasons
    assert pair.status == PairStatus.PENDING
    assert not DuplicatePair.objects.filter(first=other).exists()


def test_finder_pairs_same_phone(tree):
    first = make_veteran(tree["grid_a11"], name="王一", phone="13900000009")
    second = make_veteran(tree["grid_a12"], name="赵二", phone="13900000009", birth_date=datetime.date(1960, 1, 2))

    pairs_find(acting_user=SYSTEM)

    assert DuplicatePair.objects.get(first=first, second=second).reasons == [MatchReason.PHONE]


def test_finder_pairs_same_pinyin_with_a_near_id_number_only(tree):
    grid = tree["grid_a11"]
    first = make_veteran(grid, name="张建国", id_number=make_id_number("120101", BIRTH, 11, "M"), phone="")
    # 章建国: the same pinyin, another name; the order code one digit on (and so the check digit).
    near = make_veteran(grid, name="章建国", id_number=make_id_number("120101", BIRTH, 13, "M"), phone="")
    far = make_veteran(
        grid, name="章建国", id_number=make_id_number("120102", datetime.date(1950, 9, 1), 11, "M"), phone=""
    )
    assert first.name_pinyin == near.name_pinyin == far.name_pinyin

    pairs_find(acting_user=SYSTEM)

    pairs = {(p.first_id, p.second_id): p.reasons for p in DuplicatePair.objects.all()}
    assert pairs[(first.pk, near.pk)] == [MatchReason.PINYIN_ID]
    assert (first.pk, far.pk) not in pairs


def test_finder_on_entry_looks_only_at_the_blocks_of_the_given_files(tree):
    first, second = _twins(tree["grid_a11"])
    make_veteran(tree["grid_a11"], name="李秀兰", phone="13700000001")
    make_veteran(tree["grid_a11"], name="李秀兰", phone="13700000002")

    assert pairs_find(acting_user=SYSTEM, veteran_ids=[second.pk]) == 1
    assert DuplicatePair.objects.get().first_id == first.pk


def test_rejected_pair_never_comes_back(tree):
    _twins(tree["grid_a11"])
    pairs_find(acting_user=SYSTEM)
    pair = DuplicatePair.objects.get()

    pair_reject(pair=pair, reason="两位同名同生日", acting_user=SYSTEM)

    assert pairs_find(acting_user=SYSTEM) == 0
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED
    assert pair.decision_reason == "两位同名同生日"
    assert DuplicatePair.objects.count() == 1


def test_finder_in_a_scope_sees_only_pairs_inside_it(tree):
    make_veteran(tree["grid_a11"], name="张建国", phone="")
    make_veteran(tree["grid_b11"], name="张建国", phone="")
    staff = make_staff(tree["community_a1"])

    assert pairs_find(acting_user=staff) == 0
    assert not DuplicatePair.objects.exists()


def _populated_pair(tree):
    grid = tree["grid_a11"]
    survivor, absorbed = _twins(grid)
    worker = make_staff(grids=[grid])
    for veteran in (survivor, absorbed):
        PriorityCare.objects.create(veteran=veteran, category=PriorityCategory.KOREAN_WAR)
        honour_save(veteran=veteran, acting_user=SYSTEM, kind=HonourKind.THIRD_CLASS, awarded_year=1970)
        family_member_save(veteran=veteran, acting_user=SYSTEM, name="李芳", relation="spouse")
        visit_record(veteran=veteran, acting_user=worker, method="phone")
    PriorityCare.objects.create(veteran=absorbed, category=PriorityCategory.IN_VILLAGE_DEMOBILISED)
    return survivor, absorbed


def test_merge_then_undo_keeps_every_row_of_every_related_table(tree):
    survivor, absorbed = _populated_pair(tree)
    before = _row_counts()
    survivor_rows, absorbed_rows = _rows_of(survivor), _rows_of(absorbed)

    pair = veteran_merge(survivor=survivor, absorbed=absorbed, reason="重复建档", acting_user=SYSTEM)

    assert _row_counts() == {
        label: count + (1 if label == "veterans.VeteranChange.veteran" else 0) for label, count in before.items()
    }  # the one added row: the absorbed file's "removed" history
    absorbed.refresh_from_db()
    assert absorbed.removed_at is not None
    assert absorbed.removed_reason.startswith("合并至 张建国")
    assert pair.status == PairStatus.MERGED and pair.survivor_id == survivor.pk
    # The Korean War category collides (one per person): the survivor's is kept, the absorbed
    # file keeps its own and the pair names it.
    assert [row["model"] for row in pair.kept_apart] == ["veterans.PriorityCare"]
    assert set(PriorityCare.objects.filter(veteran=survivor).values_list("category", flat=True)) == {
        PriorityCategory.KOREAN_WAR,
        PriorityCategory.IN_VILLAGE_DEMOBILISED,
    }
    assert survivor.visits.count() == 2
    assert AuditEvent.objects.filter(detail__merge__absorbed=absorbed.pk).exists()

    pair_undo(pair=pair, reason="合并错误", acting_user=SYSTEM)

    after_undo = _row_counts()
    assert after_undo["veterans.VeteranChange.veteran"] == before["veterans.VeteranChange.veteran"] + 2
    assert {k: v for k, v in after_undo.items() if k != "veterans.VeteranChange.veteran"} == {
        k: v for k, v in before.items() if k != "veterans.VeteranChange.veteran"
    }
    history = "veterans.VeteranChange.veteran"
    assert {k: v for k, v in _rows_of(survivor).items() if k != history} == {
        k: v for k, v in survivor_rows.items() if k != history
    }
    restored = _rows_of(absorbed)
    assert {k: v for k, v in restored.items() if k != history} == {
        k: v for k, v in absorbed_rows.items() if k != history
    }
    assert absorbed_rows[history] <= restored[history]
    absorbed.refresh_from_db()
    assert absorbed.removed_at is None and absorbed.removed_reason == ""
    pair.refresh_from_db()
    assert pair.status == PairStatus.UNDONE


def test_merge_through_pair_lets_the_station_choose_the_survivor(tree):
    first, second = _twins(tree["grid_a11"])
    pairs_find(acting_user=SYSTEM)
    staff = make_staff(tree["community_a1"])

    pair = pair_merge(pair=DuplicatePair.objects.get(), survivor_id=second.pk, reason="同一人", acting_user=staff)

    assert pair.survivor_id == second.pk and pair.decided_by == staff
    first.refresh_from_db()
    assert first.removed_at is not None
    assert VeteranChange.objects.filter(veteran=first, kind=ChangeKind.REMOVE, actor=staff).exists()


def _assert_nothing_written(first, second, pairs_before):
    for file in (first, second):
        file.refresh_from_db()
        assert file.removed_at is None
    assert list(DuplicatePair.objects.values_list("status", flat=True)) == pairs_before


def test_merge_refuses_a_file_outside_the_scope_and_writes_nothing(tree):
    first = make_veteran(tree["grid_a11"], phone="")
    second = make_veteran(tree["grid_b11"], phone="")
    staff = make_staff(tree["community_a1"])

    with pytest.raises(ApplicationError) as refused:
        veteran_merge(survivor=first, absorbed=second, reason="同一人", acting_user=staff)

    assert refused.value.code == "out_of_scope"
    _assert_nothing_written(first, second, [])


def test_merge_refuses_a_file_with_itself(tree):
    first = make_veteran(tree["grid_a11"])

    with pytest.raises(ApplicationError) as refused:
        veteran_merge(survivor=first, absorbed=first, reason="同一人", acting_user=SYSTEM)

    assert refused.value.code == "same_file"
    _assert_nothing_written(first, first, [])


def test_merge_refuses_a_removed_file(tree):
    first, second = _twins(tree["grid_a11"])
    veteran_remove(veteran=second, reason="迁出", acting_user=SYSTEM)

    with pytest.raises(ApplicationError) as refused:
        veteran_merge(survivor=first, absorbed=second, reason="同一人", acting_user=SYSTEM)

    assert refused.value.code == "removed"
    assert not DuplicatePair.objects.exists()
    second.refresh_from_db()
    assert second.removed_reason == "迁出"


def test_merge_needs_a_reason(tree):
    first, second = _twins(tree["grid_a11"])

    with pytest.raises(ApplicationError):
        veteran_merge(survivor=first, absorbed=second, reason=" ", acting_user=SYSTEM)

    _assert_nothing_written(first, second, [])


def test_undo_after_thirty_days_is_refused(tree):
    first, second = _twins(tree["grid_a11"])
    pair = veteran_merge(survivor=first, absorbed=second, reason="同一人", acting_user=SYSTEM)

    with pytest.raises(ApplicationError) as refused:
        pair_undo(pair=pair, reason="", acting_user=SYSTEM, now=timezone.now() + datetime.timedelta(days=31))

    assert refused.value.code == "too_late"
    pair.refresh_from_db()
    second.refresh_from_db()
    assert pair.status == PairStatus.MERGED and second.removed_at is not None


def test_undo_is_refused_when_the_id_number_was_filed_again(tree):
    first, second = _twins(tree["grid_a11"])
    pair = veteran_merge(survivor=first, absorbed=second, reason="同一人", acting_user=SYSTEM)
    make_veteran(tree["grid_a12"], name="张建国", id_number=second.id_number)

    with pytest.raises(ApplicationError):
        pair_undo(pair=pair, reason="", acting_user=SYSTEM)

    pair.refresh_from_db()
    second.refresh_from_db()
    assert pair.status == PairStatus.MERGED and second.removed_at is not None
    assert Veteran.objects.filter(id_number_hash=second.id_number_hash, removed_at__isnull=True).count() == 1


def test_undo_is_refused_for_a_file_outside_the_scope(tree):
    first, second = _twins(tree["grid_b11"])
    pair = veteran_merge(survivor=first, absorbed=second, reason="同一人", acting_user=SYSTEM)
    staff = make_staff(tree["community_a1"])

    with pytest.raises(ApplicationError):
        pair_undo(pair=pair, reason="", acting_user=staff)

    pair.refresh_from_db()
    assert pair.status == PairStatus.MERGED


def _check_digit(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
