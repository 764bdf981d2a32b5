"""The donation receipt and the relief payment notice (救助金发放通知) as PDFs with serial numbers."""

from django.urls import reverse
from django.utils import timezone

from assistance.services import fund_receive
from audit.models import AuditAction, AuditEvent
from grids.models import Role
from grids.tests.factories import StreetFactory, make_staff
from printing.tests.conftest import pay_case
from printing.tests.pdf_tools import pdf_fonts, pdf_text
from veterans.tests.factories import make_veteran


def _donation(fund, people):
    return fund_receive(
        fund=fund,
        kind="donation",
        amount="8400.50",
        acting_user=people["cashier"],
        donor_kind="enterprise",
        donor_name="和平商贸有限公司",
        reference="春节慰问困难退役军人",
    )


def test_the_donation_receipt_carries_its_serial_and_the_amount_in_capitals(client, fund, people):
    entry = _donation(fund, people)
    client.force_login(people["cashier"])
    response = client.get(reverse("printing:receipt", args=[entry.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    serial = f"SJ{timezone.localtime(entry.created_at).year}-{entry.pk:06d}"
    text = pdf_text(response.content)
    for expected in (
        "捐赠收据",
        f"编号：{serial}",
        f"收据编号：{entry.receipt_no}",
        "和平商贸有限公司（企业）",
        "人民币捌仟肆佰元伍角",
        "¥8,400.50",
        "和平区帮扶基金",
        "春节慰问困难退役军人",
    ):
        assert expected in text, expected
    assert all(font["embedded"] for font in pdf_fonts(response.content))
    row = AuditEvent.objects.get(object_type="assistance.fundentry", object_id=str(entry.pk), action=AuditAction.EXPORT)
    assert row.action == AuditAction.EXPORT and row.actor == people["cashier"]
    assert row.detail == {"print": "donation_receipt", "serial": serial}
    # Printed again, the same paper: the same serial.
    again = pdf_text(client.get(reverse("printing:receipt", args=[entry.pk])).content)
    assert f"编号：{serial}" in again


def test_the_receipt_page_links_its_pdf(client, fund, people):
    entry = _donation(fund, people)
    client.force_login(people["cashier"])
    page = client.get(reverse("assistance:receipt", args=[entry.pk])).content.decode()
    assert reverse("printing:receipt", args=[entry.pk]) in page


def test_a_receipt_of_a_fund_outside_the_scope_is_not_found(client, tree, fund, people):
    entry = _donation(fund, people)
    other_district = make_staff(StreetFactory().district, role=Role.STATION_STAFF)
    client.force_login(other_district)
    assert client.get(reverse("printing:receipt", args=[entry.pk])).status_code == 404
    assert not AuditEvent.objects.filter(detail__print="donation_receipt").exists()


def test_a_payment_is_no_receipt(client, tree, fund, people, illness):
    case = pay_case(make_veteran(tree["grid_a11"]), people=people, fund=fund, case_type=illness)
    client.force_login(people["cashier"])
    assert client.get(reverse("printing:receipt", args=[case.payment_id])).status_code == 404


def test_the_payment_notice_names_the_person_the_money_and_its_serial(client, tree, fund, people, illness):
    veteran = make_veteran(tree["grid_a11"], name="赵德明")
    case = pay_case(veteran, people=people, fund=fund, case_type=illness, amount="8400")
    client.force_login(people["station"])
    response = client.get(reverse("printing:notice", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    serial = f"FF{timezone.localtime(case.paid_at).year}-{case.pk:06d}"
    text = pdf_text(response.content)
    for expected in (
        "救助金发放通知",
        f"编号：{serial}",
        "赵德明：",
        "测试用大病救助",
        "人民币捌仟肆佰元整",
        "¥8,400.00",
        "和平区帮扶基金",
        "特此通知",
    ):
        assert expected in text, expected
    row = AuditEvent.objects.get(
        object_type="assistance.hardshipcase", object_id=str(case.pk), action=AuditAction.EXPORT
    )
    assert row.detail == {"print": "payment_notice", "serial": serial}


def test_an_unpaid_case_has_no_notice_and_its_page_offers_none(client, tree, people, illness):
    from assistance.services import case_open

    case = case_open(
        veteran=make_veteran(tree["grid_a11"]),
        case_type=illness,
        description="住院",
        amount_requested="1000",
        reported_on=timezone.localdate(),
        acting_user=people["worker"],
    )
    client.force_login(people["station"])
    assert client.get(reverse("printing:notice", args=[case.pk])).status_code == 404
    page = client.get(reverse("assistance:case", args=[case.pk])).content.decode()
    assert reverse("printing:notice", args=[case.pk]) not in page


def test_a_notice_outside_the_scope_is_not_found(client, tree, fund, people, illness):
    case = pay_case(make_veteran(tree["grid_a11"]), people=people, fund=fund, case_type=illness)
    client.force_login(make_staff(tree["community_a2"], role=Role.STATION_STAFF))
    assert client.get(reverse("printing:notice", args=[case.pk])).status_code == 404
