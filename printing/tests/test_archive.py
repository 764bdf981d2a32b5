"""The one-person archive card (一人一档 档案表) as a PDF: what it says, what it hides, who read it."""

from pathlib import Path

from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from grids.tests.factories import make_staff
from printing.tests.conftest import ID_NUMBER
from printing.tests.pdf_tools import pdf_fonts, pdf_pages, pdf_text, save_first_page_png
from veterans.tests.factories import make_survivor, make_veteran

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def _archive(client, user, veteran):
    client.force_login(user)
    return client.get(reverse("printing:archive", args=[veteran.pk]))


def _print_rows(veteran):
    return AuditEvent.objects.filter(object_type="veterans.veteran", object_id=str(veteran.pk), detail__part="print")


def test_it_prints_the_archive_card_with_every_part_in_an_embedded_chinese_font(client, person, people):
    response = _archive(client, people["station"], person)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    content = response.content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for expected in (
        "一人一档 档案表",
        "张建国",
        "基本信息",
        "服役信息",
        "退役士兵",
        "残疾军人（6级）",
        "抗美援朝老兵",
        "李秀兰",
        "二等功",
        "测试人员",  # the paired grid worker
        "腿疾加重，需要住院",
        "最近走访（共 2 次）",
        "测试用大病救助",
        "累计发放 ¥1,200.00",
        "和平区帮扶基金",
        "照片",
    ):
        assert expected in text, expected
    fonts = pdf_fonts(content)
    assert fonts and all(font["embedded"] for font in fonts), fonts
    assert any("WenQuanYi" in font["name"] for font in fonts), fonts
    assert pdf_pages(content) == 1
    save_first_page_png(content, RESULTS / "archive-card.png")


def test_station_staff_who_may_see_numbers_get_them_whole_and_the_audit_says_so(client, person, people):
    content = _archive(client, people["station"], person).content
    text = pdf_text(content)
    assert ID_NUMBER in text and "13812345678" in text and "13900001111" in text
    assert "含完整身份证号和电话" in text
    (row,) = _print_rows(person)
    assert row.action == AuditAction.VIEW_SENSITIVE
    assert row.actor == people["station"]
    assert row.detail == {"part": "print", "print": "archive", "full_numbers": True}


def test_without_reveal_identity_the_numbers_are_masked_and_the_audit_says_so(client, tree, person, no_reveal):
    worker = make_staff(grids=[tree["grid_a11"]])
    assert not worker.has_perm("veterans.reveal_identity")
    content = _archive(client, worker, person).content
    text = pdf_text(content)
    assert ID_NUMBER not in text and "13812345678" not in text and "13900001111" not in text
    assert "120101********1230" in text and "138****5678" in text and "139****1111" in text
    assert "身份证号和电话已脱敏" in text
    (row,) = _print_rows(person)
    assert row.action == AuditAction.VIEW
    assert row.detail["full_numbers"] is False and row.detail["print"] == "archive"


def test_a_person_outside_the_scope_is_not_found_and_nothing_is_audited(client, tree, person):
    neighbour_worker = make_staff(grids=[tree["grid_a12"]])
    other_street = make_staff(tree["street_b"])
    for user in (neighbour_worker, other_street):
        response = _archive(client, user, person)
        assert response.status_code == 404
        assert b"%PDF" not in response.content
    assert not _print_rows(person).exists()


def test_a_removed_file_is_not_printed(client, tree, people):
    from grids.scoping import SYSTEM
    from veterans.services import veteran_remove

    gone = make_veteran(tree["grid_a11"], name="已注销人")
    veteran_remove(veteran=gone, reason="重复建档", acting_user=SYSTEM)
    assert _archive(client, people["station"], gone).status_code == 404


def test_a_survivors_card_names_the_soldier_instead_of_service(client, tree, people):
    mother = make_survivor(tree["grid_a11"], name="刘桂英")
    text = pdf_text(_archive(client, people["station"], mother).content)
    assert "来源军人" in text and "王志刚" in text and "LS-1984-0032" in text and "烈士遗属" in text
    assert "服役信息" not in text


def test_the_card_reads_in_a_fixed_number_of_queries(client, person, people, django_assert_num_queries):
    # Session, user, device, permissions (2), scope; the person and their care, honours and
    # family; the newest visits and cases (one window query each); the audit row and its savepoint.
    client.force_login(people["station"])
    with django_assert_num_queries(15):
        assert client.get(reverse("printing:archive", args=[person.pk])).status_code == 200


def test_the_admin_page_and_the_case_page_link_their_pdfs(client, person, people):
    client.force_login(people["station"])
    page = client.get(reverse("admin:veterans_veteran_change", args=[person.pk])).content.decode()
    assert reverse("printing:archive", args=[person.pk]) in page
    listing = client.get(reverse("admin:veterans_veteran_changelist")).content.decode()
    assert reverse("printing:batch_new") in listing
    case = person.hardship_cases.get()
    case_page = client.get(reverse("assistance:case", args=[case.pk])).content.decode()
    assert reverse("printing:notice", args=[case.pk]) in case_page
