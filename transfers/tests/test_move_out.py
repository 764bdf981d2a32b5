import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assistance.models import CaseType
from assistance.services import case_attach, case_open
from audit.models import AuditEvent
from core.errors import ApplicationError
from transfers.services import person_move_out
from transfers.tests.factories import make_transfer
from veterans.models import LifeStatus, Veteran, VeteranChange
from veterans.tests.factories import make_veteran
from visits.services import visit_record

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _with_history(areas):
    veteran = make_veteran(areas["home"], name="冯外迁")
    visit_record(veteran=veteran, acting_user=areas["worker"], method="home", findings="身体尚好")
    case_type = CaseType.objects.order_by("id").first()
    case = case_open(
        veteran=veteran,
        case_type=case_type,
        description="医疗困难",
        reported_on=timezone.localdate(),
        amount_requested=case_type.min_amount,
        acting_user=areas["worker"],
    )
    case_attach(case=case, upload=SimpleUploadedFile("诊断.pdf", PDF), kind="diagnosis", acting_user=areas["worker"])
    return veteran, case


def test_moving_out_of_the_installation_exports_the_package_and_marks_the_person(areas):
    veteran, case = _with_history(areas)
    moved_on = timezone.localdate() - datetime.timedelta(days=1)
    package = person_move_out(
        veteran=veteran, destination="四川省成都市", moved_on=moved_on, acting_user=areas["sender"]
    )
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = archive.namelist()
        book = load_workbook(io.BytesIO(archive.read(next(n for n in names if n.endswith(".xlsx")))))
        assert archive.read(next(n for n in names if n.startswith(f"attachments/{case.pk}/"))) == PDF
    assert book.sheetnames[:5] == ["档案", "变更记录", "走访记录", "困难救助", "诉求"]
    person = {row[0]: row[1] for row in book["档案"].iter_rows(values_only=True)}
    assert person["姓名"] == "冯外迁" and person["公民身份号码"] == veteran.id_number
    assert any("身体尚好" in str(cell) for row in book["走访记录"].iter_rows(values_only=True) for cell in row)
    assert any("医疗困难" in str(cell) for row in book["困难救助"].iter_rows(values_only=True) for cell in row)
    veteran.refresh_from_db()
    assert (veteran.life_status, veteran.life_status_date) == (LifeStatus.MOVED_OUT, moved_on)
    assert VeteranChange.objects.get(veteran=veteran, field="life_status").actor == areas["sender"]
    assert AuditEvent.objects.filter(action="export", actor=areas["sender"], detail__package="move_out").exists()


@pytest.mark.parametrize(
    ("who", "destination", "days", "message"),
    [
        ("receiver", "成都", 0, "管辖范围"),
        ("worker", "成都", 0, "权限"),
        ("sender", " ", 0, "迁往地区"),
        ("sender", "成都", -1, "晚于今天"),
        ("sender", "成都", "before_birth", "早于出生日期"),
    ],
)
def test_move_out_refusals_write_nothing(areas, who, destination, days, message):
    veteran = make_veteran(areas["home"])
    before = (AuditEvent.objects.count(), VeteranChange.objects.count())
    if days == "before_birth":
        moved_on = veteran.birth_date - datetime.timedelta(days=1)
    else:
        moved_on = timezone.localdate() - datetime.timedelta(days=days)
    with pytest.raises(ApplicationError) as error:
        person_move_out(veteran=veteran, destination=destination, moved_on=moved_on, acting_user=areas[who])
    assert message in error.value.message
    assert (AuditEvent.objects.count(), VeteranChange.objects.count()) == before
    assert Veteran.objects.get(pk=veteran.pk).life_status == LifeStatus.ALIVE


def test_move_out_with_a_pending_transfer_is_refused(areas):
    transfer = make_transfer(areas)
    with pytest.raises(ApplicationError):
        person_move_out(
            veteran=transfer.veteran, destination="成都", moved_on=timezone.localdate(), acting_user=areas["sender"]
        )
    assert Veteran.objects.get(pk=transfer.veteran_id).life_status == LifeStatus.ALIVE


def test_admin_move_out_page_sends_the_zip(client, areas):
    veteran, _case = _with_history(areas)
    client.force_login(areas["sender"])
    url = reverse("admin:transfers_transfer_move_out")
    assert client.get(url).status_code == 200
    response = client.post(url, {"veteran": veteran.pk, "destination": "成都", "moved_on": timezone.localdate()})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert Veteran.objects.get(pk=veteran.pk).life_status == LifeStatus.MOVED_OUT


def test_admin_move_out_page_refuses_someone_elses_person(client, areas):
    veteran = make_veteran(areas["away"], name="陈越界")
    client.force_login(areas["sender"])
    response = client.post(
        reverse("admin:transfers_transfer_move_out"),
        {"veteran": veteran.pk, "destination": "成都", "moved_on": timezone.localdate()},
    )
    assert response.status_code == 200 and "陈越界" not in response.content.decode()
    assert Veteran.objects.get(pk=veteran.pk).life_status == LifeStatus.ALIVE
