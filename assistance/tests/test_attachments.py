import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assistance.models import CaseAttachment
from assistance.selectors import where_case_money_came_from
from assistance.services import case_attach, case_open, case_step, fund_receive
from core.errors import ApplicationError
from veterans.tests.factories import make_veteran

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def case(tree, people, illness):
    veteran = make_veteran(tree["grid_a11"], name="材料老兵")
    return case_open(
        veteran=veteran,
        case_type=illness,
        description="住院",
        reported_on=veteran.created_at.date(),
        amount_requested="3000",
        acting_user=people["worker"],
    )


def test_a_pdf_and_a_photo_of_an_invoice_are_kept(case, people):
    pdf = case_attach(
        case=case, upload=SimpleUploadedFile("诊断.pdf", PDF), kind="diagnosis", acting_user=people["worker"]
    )
    photo = case_attach(
        case=case, upload=SimpleUploadedFile("发票.png", jpeg_bytes()), kind="invoice", acting_user=people["worker"]
    )
    assert (pdf.content_type, photo.content_type) == ("application/pdf", "image/jpeg")
    assert pdf.file.read() == PDF and pdf.original_name == "诊断.pdf"
    assert case.attachments.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("发票.pdf", b"MZ\x90\x00 not a pdf at all", "既不是PDF也不是图片"),
        ("诊断.jpg", b"<html><script>alert(1)</script></html>", "既不是PDF也不是图片"),
        ("半截.pdf", b"%PDF-1.4\n1 0 obj<<>>", "不完整"),
        ("脚本.pdf", b"%PDF-1.4\n<</S/JavaScript/JS(app.alert(1))>>\n%%EOF", "含有脚本"),
    ],
)
def test_files_are_judged_by_content_not_name(case, people, name, content, message):
    with pytest.raises(ApplicationError, match=message):
        case_attach(case=case, upload=SimpleUploadedFile(name, content), kind="invoice", acting_user=people["worker"])
    assert not CaseAttachment.objects.exists()


def test_oversized_and_duplicate_files_are_refused(case, people, settings):
    case_attach(case=case, upload=SimpleUploadedFile("a.pdf", PDF), kind="invoice", acting_user=people["worker"])
    with pytest.raises(ApplicationError, match="已上传过"):
        case_attach(case=case, upload=SimpleUploadedFile("b.pdf", PDF), kind="invoice", acting_user=people["worker"])
    settings.CASE_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ApplicationError, match="过大"):
        case_attach(case=case, upload=SimpleUploadedFile("c.pdf", PDF), kind="other", acting_user=people["worker"])
    assert CaseAttachment.objects.count() == 1


def test_attachments_stay_inside_scope(tree, case):
    from grids.tests.factories import make_staff

    outsider = make_staff(grids=[tree["grid_b11"]])
    with pytest.raises(ApplicationError, match="管辖范围"):
        case_attach(case=case, upload=SimpleUploadedFile("a.pdf", PDF), kind="invoice", acting_user=outsider)
    assert not CaseAttachment.objects.exists()


def test_a_donation_is_traced_to_the_case_it_paid(tree, people, illness, fund):
    donation = fund_receive(
        fund=fund,
        kind="donation",
        amount="100",
        acting_user=people["cashier"],
        donor_kind="enterprise",
        donor_name="爱心企业",
    )
    # The older allocation is spent first; a fund holding only the donation shows the hop.
    only_donations = type(fund).objects.create(name="捐赠专户", level="district", district=tree["district"])
    gift = fund_receive(
        fund=only_donations,
        kind="donation",
        amount="5000",
        acting_user=people["cashier"],
        donor_kind="person",
        donor_name="李先生",
    )
    veteran = make_veteran(tree["grid_a11"], name="受助老兵")
    case = case_open(
        veteran=veteran,
        case_type=illness,
        description="住院",
        reported_on=veteran.created_at.date(),
        amount_requested="1500",
        acting_user=people["worker"],
    )
    case_step(case=case, action="submit", acting_user=people["worker"])
    case_step(case=case, action="review", acting_user=people["station"])
    case_step(case=case, action="approve", acting_user=people["station"])  # within the station's limit
    case = case_step(case=case, action="pay", acting_user=people["cashier"], fund=only_donations)
    traces = where_case_money_came_from(case)
    assert [(t.source, t.amount, t.case) for t in traces] == [(gift, Decimal("1500.00"), case)]
    assert donation.unspent.remaining == Decimal("100.00")
