from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assistance.models import CaseAttachment, CaseStatus
from assistance.services import case_attach, case_open, case_step, fund_receive
from assistance.tests.test_attachments import PDF
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


def submitted_case(people, illness, grid, name, amount="3000"):
    case = case_open(
        veteran=make_veteran(grid, name=name),
        case_type=illness,
        description="住院",
        reported_on=timezone.localdate(),
        amount_requested=amount,
        acting_user=make_staff(grids=[grid]),
    )
    return case_step(case=case, action="submit", acting_user=case.opened_by)


@pytest.fixture
def other_street_case(tree, people, illness):
    return submitted_case(people, illness, tree["grid_b11"], "乙街道老兵")


def test_the_bureau_sees_reviewed_cases_waiting_for_approval(client, tree, people, illness, other_street_case):
    mine = submitted_case(people, illness, tree["grid_a11"], "甲街道老兵")
    case_step(case=mine, action="review", acting_user=people["station"])
    client.force_login(people["leader"])
    body = client.get(reverse("assistance:queue")).content.decode()
    assert "甲街道老兵" in body and "乙街道老兵" not in body  # the other one is not reviewed yet
    assert "待批准" in body and "待服务站审核" not in body  # leaders approve; stations review


def test_station_queue_is_limited_to_its_own_area(client, tree, people, illness, other_street_case):
    submitted_case(people, illness, tree["grid_a11"], "本社区老兵")
    client.force_login(people["station"])
    body = client.get(reverse("assistance:queue"), {"stage": "review"}).content.decode()
    assert "本社区老兵" in body and "乙街道老兵" not in body


def test_grid_workers_have_no_queue(client, people):
    client.force_login(people["worker"])
    assert client.get(reverse("assistance:queue")).status_code == 403


def test_queue_page_runs_a_fixed_number_of_queries(client, tree, people, illness, django_assert_max_num_queries):
    for n in range(12):
        submitted_case(people, illness, tree["grid_a11"], f"老兵{n}")
    client.force_login(people["station"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assistance:queue"), {"stage": "review"})
    assert response.content.decode().count("老兵") >= 12


def test_approving_from_the_case_page_with_a_cap_breach_says_what_is_left(client, tree, people, illness):
    case = submitted_case(people, illness, tree["grid_a11"], "超额老兵", amount="9000")
    case_step(case=case, action="review", acting_user=people["station"])
    client.force_login(people["leader"])
    response = client.post(
        reverse("assistance:step", args=[case.pk]), {"action": "approve", "amount": "12000"}, follow=True
    )
    assert "超过该类型单次最高金额 ¥10,000.00" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWED and case.amount_approved is None
    client.post(reverse("assistance:step", args=[case.pk]), {"action": "approve", "amount": "8400", "comment": "同意"})
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.amount_approved == Decimal("8400.00")


def test_paying_from_the_case_page_shows_where_the_money_came_from(client, tree, people, illness, fund):
    case = submitted_case(people, illness, tree["grid_a11"], "发放老兵")
    case_step(case=case, action="review", acting_user=people["station"])
    case_step(case=case, action="approve", acting_user=people["leader"])
    client.force_login(people["cashier"])
    client.post(reverse("assistance:step", args=[case.pk]), {"action": "pay", "fund": fund.pk})
    case.refresh_from_db()
    assert case.status == CaseStatus.PAID
    body = client.get(reverse("assistance:case", args=[case.pk])).content.decode()
    assert "资金来源" in body and "¥3,000.00" in body


def test_cases_of_another_area_are_not_found_for_any_verb(client, tree, people, other_street_case):
    client.force_login(people["station"])  # community a1's station
    pk = other_street_case.pk
    assert client.get(reverse("assistance:case", args=[pk])).status_code == 404
    assert client.post(reverse("assistance:step", args=[pk]), {"action": "review"}).status_code == 404
    upload = SimpleUploadedFile("x.pdf", PDF)
    assert client.post(reverse("assistance:upload", args=[pk]), {"kind": "other", "file": upload}).status_code == 404
    other_street_case.refresh_from_db()
    assert other_street_case.status == CaseStatus.SUBMITTED and not CaseAttachment.objects.exists()


def test_papers_are_uploaded_and_served_only_in_scope(client, tree, people, illness):
    case = submitted_case(people, illness, tree["grid_a11"], "材料老兵")
    client.force_login(people["station"])
    client.post(
        reverse("assistance:upload", args=[case.pk]), {"kind": "diagnosis", "file": SimpleUploadedFile("诊断.pdf", PDF)}
    )
    paper = CaseAttachment.objects.get()
    response = client.get(reverse("assistance:attachment", args=[paper.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(make_staff(tree["community_b1"], role=Role.STATION_STAFF))
    assert client.get(reverse("assistance:attachment", args=[paper.pk])).status_code == 404


def test_a_disguised_upload_is_refused_with_a_message(client, tree, people, illness):
    case = submitted_case(people, illness, tree["grid_a11"], "材料老兵")
    client.force_login(people["station"])
    response = client.post(
        reverse("assistance:upload", args=[case.pk]),
        {"kind": "invoice", "file": SimpleUploadedFile("发票.pdf", b"<script>x</script>")},
        follow=True,
    )
    assert "既不是PDF也不是图片" in response.content.decode()
    assert not CaseAttachment.objects.exists()


def test_a_donation_receipt_prints_the_amount_in_capitals_and_where_it_went(client, tree, people, fund):
    donation = fund_receive(
        fund=fund,
        kind="donation",
        amount="8400",
        acting_user=people["cashier"],
        donor_kind="enterprise",
        donor_name="爱心企业",
    )
    client.force_login(people["cashier"])
    body = client.get(reverse("assistance:receipt", args=[donation.pk])).content.decode()
    assert "人民币捌仟肆佰元整" in body and donation.receipt_no in body and "爱心企业" in body
    client.force_login(make_staff(tree["street_b"], role=Role.STATION_STAFF))
    assert client.get(reverse("assistance:receipt", args=[donation.pk])).status_code == 404


def test_attachments_can_be_added_through_the_service_then_listed(client, tree, people, illness):
    case = submitted_case(people, illness, tree["grid_a11"], "列表老兵")
    case_attach(case=case, upload=SimpleUploadedFile("票.pdf", PDF), kind="invoice", acting_user=people["station"])
    client.force_login(people["station"])
    body = client.get(reverse("assistance:case", args=[case.pk])).content.decode()
    assert "医疗费用票据：票.pdf" in body


def test_days_to_payment_per_area_are_hand_counted(tree, people, illness, fund):
    from datetime import timedelta

    from assistance.selectors import days_to_payment_by_area

    today = timezone.localdate()
    for grid, days_ago in ((tree["grid_a11"], 3), (tree["grid_a12"], 9), (tree["grid_b11"], 5)):
        case = case_open(
            veteran=make_veteran(grid),
            case_type=illness,
            description="住院",
            amount_requested="1000",
            reported_on=today - timedelta(days=days_ago),
            acting_user=make_staff(grids=[grid]),
        )
        actors = {"submit": case.opened_by, "review": people["cashier"], "approve": people["leader"]}
        for action, actor in actors.items():
            case = case_step(case=case, action=action, acting_user=actor)
        case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    rows = days_to_payment_by_area(user=people["leader"], level="street")
    assert [(r.area.name, r.paid, r.median_days, r.within_week) for r in rows] == [
        ("乙街道", 1, 5, 1),
        ("甲街道", 2, 6, 1),
    ]
    street_a_only = days_to_payment_by_area(user=make_staff(tree["street_a"], role=Role.STATION_STAFF), level="grid")
    assert sorted((r.area.name, r.median_days) for r in street_a_only) == [("a1-1网格", 3), ("a1-2网格", 9)]


def test_timeliness_page_lists_the_users_child_areas(client, tree, people):
    client.force_login(people["leader"])
    response = client.get(reverse("assistance:timeliness"))
    assert response.status_code == 200 and "暂无已发放的救助" in response.content.decode()
    client.force_login(people["worker"])
    assert client.get(reverse("assistance:timeliness")).status_code == 200


def test_the_queue_shows_what_the_household_was_paid_and_what_is_promised(client, tree, people, illness):
    promised = submitted_case(people, illness, tree["grid_a11"], "同户老兵", amount="3000")
    case_step(case=promised, action="review", acting_user=people["station"])
    case_step(case=promised, action="approve", acting_user=people["leader"])
    second = case_open(
        veteran=promised.veteran,
        case_type=illness,
        description="复查",
        reported_on=timezone.localdate(),
        amount_requested="1000",
        acting_user=promised.opened_by,
    )
    case_step(case=second, action="submit", acting_user=second.opened_by)
    case_step(case=second, action="review", acting_user=people["station"])
    client.force_login(people["leader"])

    body = client.get(reverse("assistance:queue"), {"stage": "approve"}).content.decode()

    assert "同户老兵" in body
    assert "已批准待发放 ¥3,000.00" in body  # the other case's approved money counts toward the cap


def test_the_case_page_counts_its_own_payment_in_what_the_household_was_paid(client, tree, people, illness, fund):
    case = submitted_case(people, illness, tree["grid_a11"], "已发放老兵", amount="8400")
    case_step(case=case, action="review", acting_user=people["station"])
    case_step(case=case, action="approve", acting_user=people["leader"])
    client.force_login(people["cashier"])
    body = client.get(reverse("assistance:case", args=[case.pk])).content.decode()
    assert "本户今年已发放</dt><dd>¥0.00，已批准待发放 ¥8,400.00" in body  # promised, not yet paid

    client.post(reverse("assistance:step", args=[case.pk]), {"action": "pay", "fund": fund.pk})

    case.refresh_from_db()
    assert case.status == CaseStatus.PAID and case.amount_approved == Decimal("8400.00")
    body = client.get(reverse("assistance:case", args=[case.pk])).content.decode()
    assert "本户今年已发放</dt><dd>¥8,400.00（" in body
