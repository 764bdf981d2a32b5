import datetime

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from core.masking import mask_id_number
from exports.tests.helpers import built_job, job_information, job_rows
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from veterans.exports import LEDGERS, ledger_response, ledger_rows
from veterans.models import HonourKind, PriorityCategory
from veterans.selectors import veterans_for
from veterans.services import family_member_save, honour_save
from veterans.tests.factories import make_survivor, make_veteran
from veterans.tests.xlsx_helpers import read_xlsx


def export(key, user, unmasked=False):
    response = ledger_response(key, veterans_for(user=user), user=user, unmasked=unmasked)
    return read_xlsx(b"".join(response.streaming_content))


@pytest.fixture
def people(tree):
    old = make_veteran(
        tree["grid_a11"],
        name="老党员",
        birth_date=datetime.date(1940, 5, 1),
        is_party_member=True,
        party_relation="mobile",
        minimum_living_allowance=True,
        categories=[(PriorityCategory.DISABLED, 2)],
        glory_plaque_hung_on=datetime.date(2020, 8, 1),
    )
    honour_save(veteran=old, kind=HonourKind.SECOND_CLASS, acting_user=SYSTEM)
    family_member_save(veteran=old, name="老伴", relation="spouse", acting_user=SYSTEM)
    young = make_veteran(tree["grid_a12"], name="年轻人")
    make_veteran(tree["grid_b11"], name="外街道")
    mother = make_survivor(tree["grid_a11"], name="烈士母亲")
    make_survivor(tree["grid_b11"], name="外街道遗属")
    family = make_survivor(
        tree["grid_a12"], name="军属", person_kind="serving_family", soldier={"name": "赵强", "relation": "spouse"}
    )
    return {"old": old, "young": young, "mother": mother, "family": family}


EXPECTED_FIRST_HEADERS = {
    "classification": ["序号", "姓名", "性别", "出生日期", "年龄", "公民身份号码"],
    "pairing": ["序号", "姓名", "公民身份号码", "联系电话"],
    "collection": ["序号", "姓名", "性别", "民族", "公民身份号码"],
    "hardship": ["序号", "姓名", "公民身份号码", "联系电话", "现居住地址"],
    "party": ["序号", "姓名", "性别", "出生日期", "公民身份号码"],
    "plaque": ["序号", "姓名", "联系电话", "现居住地址"],
    "martyr_survivors": ["序号", "姓名", "性别", "出生日期", "年龄", "公民身份号码"],
    "military_families": ["序号", "姓名", "性别", "出生日期", "公民身份号码"],
}
EVERYONE = {"老党员", "年轻人", "烈士母亲", "军属"}
EXPECTED_NAMES = {
    "classification": EVERYONE,
    "pairing": EVERYONE,
    "collection": EVERYONE,
    "hardship": {"老党员"},
    "party": {"老党员"},
    "plaque": EVERYONE,
    "martyr_survivors": {"烈士母亲"},
    "military_families": {"军属"},
}


@pytest.mark.parametrize("key", list(LEDGERS))
def test_each_ledger_has_its_headers_and_scoped_rows(people, tree, key):
    staff = make_staff(tree["street_a"])
    rows = export(key, staff)
    assert rows[0][: len(EXPECTED_FIRST_HEADERS[key])] == EXPECTED_FIRST_HEADERS[key]
    assert rows[0] == ["序号", *LEDGERS[key].headers]
    assert {row[1] for row in rows[1:]} == EXPECTED_NAMES[key]
    assert all(len(row) == len(rows[0]) for row in rows)


def test_row_contents_of_the_classification_roster(people, tree):
    rows = export("classification", make_staff(tree["street_a"]))
    header = rows[0]
    old = next(row for row in rows if row[1] == "老党员")
    value = dict(zip(header, old, strict=True))
    assert value["优抚类别"] == "残疾军人（2级）"
    assert "80岁及以上" in value["重点群体"] and "重大贡献" in value["重点群体"]
    assert value["公民身份号码"] == mask_id_number(people["old"].id_number)
    assert value["网格"] == tree["grid_a11"].name


def test_party_ledger_shows_the_organisation_relation(people, tree):
    rows = export("party", make_staff(tree["street_a"]))
    assert dict(zip(rows[0], rows[1], strict=True))["组织关系"] == "流动党员"


def test_station_may_export_unmasked_and_it_is_audited(people, tree):
    staff = make_staff(tree["street_a"])
    rows = export("classification", staff, unmasked=True)
    assert people["old"].id_number in {row[5] for row in rows}
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail == {"ledger": "classification", "rows": 4, "unmasked": True}


def test_leader_asking_for_unmasked_still_gets_masked(people, tree):
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    rows = export("classification", leader, unmasked=True)
    ids = {row[5] for row in rows[1:]}
    assert people["old"].id_number not in ids
    assert mask_id_number(people["old"].id_number) in ids
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail["unmasked"] is False


def test_export_action_from_the_admin(client, people, tree):
    client.force_login(make_staff(tree["community_a1"]))
    response = client.post(
        reverse("admin:veterans_veteran_changelist"),
        {"action": "export_collection", "_selected_action": [people["old"].pk, people["young"].pk]},
    )
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))
    assert {row[1] for row in rows[1:]} == {"老党员", "年轻人"}
    collection = dict(zip(rows[0], next(r for r in rows if r[1] == "老党员"), strict=True))
    assert collection["家庭成员数"] == 1


def test_martyr_survivors_roster_names_the_martyr_and_is_audited(people, tree):
    rows = export("martyr_survivors", make_staff(tree["street_a"]))
    [row] = rows[1:]
    value = dict(zip(rows[0], row, strict=True))
    assert value["姓名"] == "烈士母亲"
    assert (value["烈士姓名"], value["与烈士关系"], value["部队"]) == ("王志刚", "父母", "某部三营")
    assert value["牺牲日期"] == datetime.datetime(1984, 7, 12)
    assert (value["牺牲地点"], value["烈士证书编号"]) == ("云南老山", "LS-1984-0032")
    assert value["公民身份号码"] == mask_id_number(people["mother"].id_number)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail == {"ledger": "martyr_survivors", "rows": 1, "unmasked": False}


def test_military_families_roster_names_the_serving_soldier(people, tree):
    rows = export("military_families", make_staff(tree["street_a"]))
    [row] = rows[1:]
    value = dict(zip(rows[0], row, strict=True))
    assert (value["姓名"], value["军人姓名"], value["与军人关系"]) == ("军属", "赵强", "配偶")
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail["ledger"] == "military_families"


def test_classification_roster_shows_the_kind_of_person(people, tree):
    rows = export("classification", make_staff(tree["street_a"]))
    kinds = {row[1]: dict(zip(rows[0], row, strict=True))["人员类别"] for row in rows[1:]}
    assert kinds["老党员"] == "退役军人" and kinds["烈士母亲"] == "烈士遗属" and kinds["军属"] == "现役军人家属"


def test_new_rosters_download_by_url(client, people, tree):
    client.force_login(make_staff(tree["street_a"]))
    response = client.get(reverse("veteran_ledger", args=["martyr_survivors"]))
    assert response.status_code == 200
    assert {row[1] for row in read_xlsx(b"".join(response.streaming_content))[1:]} == {"烈士母亲"}


# --- Big exports, built in the background (exports app) ----------------------------------------


def test_a_big_ledger_is_built_in_the_background_through_the_requesters_scope(
    client, people, tree, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_LIMIT = 2
    staff = make_staff(tree["street_a"])
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("veteran_ledger", args=["classification"]))
    job = built_job()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    assert job.ledger == "veterans:classification" and job.requested_by == staff
    rows = job_rows(job)
    assert rows[0] == ["序号", *LEDGERS["classification"].headers]
    assert {row[1] for row in rows[1:]} == EVERYONE  # not the other street's people
    assert mask_id_number(people["old"].id_number) in {row[5] for row in rows}
    assert job_information(job)["身份证号与电话"] == "已脱敏"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail == {"ledger": "classification", "rows": 4, "unmasked": False}


def test_a_restricted_ledger_keeps_its_rows_in_the_background(
    people, tree, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_LIMIT = 0
    staff = make_staff(tree["street_a"])
    with django_capture_on_commit_callbacks(execute=True):
        ledger_response("party", veterans_for(user=staff), user=staff)
    assert {row[1] for row in job_rows(built_job())[1:]} == {"老党员"}


def test_the_worker_unmasks_only_for_a_requester_who_may(people, tree, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_DIRECT_LIMIT = 0
    staff = make_staff(tree["street_a"])
    with django_capture_on_commit_callbacks(execute=True):
        ledger_response("classification", veterans_for(user=staff), user=staff, unmasked=True)
    job = built_job()
    assert people["old"].id_number in {row[5] for row in job_rows(job)}
    assert job_information(job)["身份证号与电话"] == "完整"
    assert AuditEvent.objects.get(action=AuditAction.EXPORT, actor=staff).detail["unmasked"] is True


def test_the_worker_masks_for_a_requester_who_may_not_unmask(
    people, tree, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_LIMIT = 0
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    with django_capture_on_commit_callbacks(execute=True):
        ledger_response("classification", veterans_for(user=leader), user=leader, unmasked=True)
    job = built_job()
    ids = {row[5] for row in job_rows(job)[1:]}
    assert people["old"].id_number not in ids and mask_id_number(people["old"].id_number) in ids
    assert job_information(job)["身份证号与电话"] == "已脱敏"
    assert AuditEvent.objects.get(action=AuditAction.EXPORT, actor=leader).detail["unmasked"] is False


def test_the_admin_action_over_the_limit_starts_a_job(
    client, people, tree, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_LIMIT = 1
    client.force_login(make_staff(tree["community_a1"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:veterans_veteran_changelist"),
            {"action": "export_collection", "_selected_action": [people["old"].pk, people["young"].pk]},
        )
    job = built_job()
    assert response.status_code == 302 and job.ledger == "veterans:collection"
    assert {row[1] for row in job_rows(job)[1:]} == {"老党员", "年轻人"}


def test_the_ledger_reads_a_fixed_number_of_queries_whatever_the_rows(people, tree, django_assert_max_num_queries):
    staff = make_staff(tree["street_a"])
    for number in range(6):
        make_veteran(tree["grid_a11"], name=f"多{number}")
    rows = LEDGERS["collection"]
    with django_assert_max_num_queries(6):  # the rows, then one per prefetched relation
        assert len(list(ledger_rows(rows, veterans_for(user=staff), unmasked=False))) == 10
