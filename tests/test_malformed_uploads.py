"""Malformed uploads on every path that takes a file: the veteran Excel import, the area import,
hardship case papers (API, desk, phone), wish photos and visit photos.

Each bad file — too large, a zip bomb, not a zip, a zip that is not a workbook, a page or a
program under a .pdf/.jpg name, a picture declaring more pixels than memory allows — is refused
with a Chinese message naming the problem, and nothing is written: no row, no stored file.
"""

import datetime
import io
import struct
import uuid
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assistance.models import CaseAttachment, CaseType, HardshipCase
from assistance.services import case_open
from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError
from grids.models import District, Grid, Role
from grids.tests.factories import DistrictFactory, make_staff
from veterans.models import VeteranImport
from veterans.tests.factories import make_veteran
from veterans.tests.xlsx_helpers import veteran_row, xlsx_file
from visits.models import Visit, VisitPhoto
from visits.services import visit_record
from wishes.models import WishStatus
from wishes.tests.factories import image_upload, make_wish

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# A page that carries the PDF marker and end tag, as a polyglot would.
HTML_AS_PDF = b"<html><!-- %PDF-1.4 --><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
HTML_AS_JPG = b"<!doctype html><html><script>alert(1)</script></html>"
EXE_AS_JPG = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


# --- Building bad workbooks cheaply -----------------------------------------------------------


def workbook_bytes() -> bytes:
    return xlsx_file([veteran_row()]).read()


def rebuilt(data: bytes, *, replace: dict[str, bytes] = {}, add: dict[str, bytes] = {}, drop=()) -> bytes:  # noqa: B006
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in drop:
                target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


def declaring(data: bytes, member: str, size: int) -> bytes:
    """The same zip, its directory claiming `member` inflates to `size` bytes (what a crafted
    bomb declares). Nothing large is built: only the 4-byte size fields change."""
    patched = bytearray(data)
    name = member.encode()
    for signature, size_at, name_length_at, name_at in ((b"PK\x01\x02", 24, 28, 46), (b"PK\x03\x04", 22, 26, 30)):
        start = patched.find(signature)
        while start != -1:
            length = struct.unpack_from("<H", patched, start + name_length_at)[0]
            if patched[start + name_at : start + name_at + length] == name:
                struct.pack_into("<I", patched, start + size_at, size)
            start = patched.find(signature, start + 4)
    return bytes(patched)


def ratio_bomb(data: bytes) -> bytes:
    """A real workbook whose sheet is padded with 30 MB of blanks: it zips to a few dozen KB."""
    source = zipfile.ZipFile(io.BytesIO(data))
    sheet = source.read("xl/worksheets/sheet1.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info.filename))
        head, tail = sheet.split(b"<sheetData>")
        with target.open("xl/worksheets/sheet1.xml", "w") as handle:
            handle.write(head + b"<sheetData>")
            for _chunk in range(30):
                handle.write(b" " * 1024 * 1024)
            handle.write(tail)
    return buffer.getvalue()


def recompressed(data: bytes, compression: int) -> bytes:
    """The same workbook with every part compressed by a method Excel never uses."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    return buffer.getvalue()


def crowded(data: bytes, members: int) -> bytes:
    return rebuilt(data, add={f"xl/media/{n}.bin": b"" for n in range(members)})


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
# A binary workbook (.xlsb) renamed .xlsx: a zip with xl/ parts but no xl/workbook.xml to read.
XLSB = {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00", "xl/worksheets/sheet1.bin": b""}


def bad_workbooks():
    """(name, bytes, what the refusal says) for every kind of bad workbook."""
    good = workbook_bytes()
    return [
        ("not_a_zip", "<html><table><tr><td>张建国</td></tr></table></html>".encode(), "不是有效的Excel"),
        ("csv_renamed", "姓名,公民身份号码\n张建国,120101\n".encode(), "不是有效的Excel"),
        ("docx_renamed", zip_of(DOCX), "不是有效的Excel"),
        ("xlsb_renamed", zip_of(XLSB), "不是有效的Excel"),
        ("declared_300_mb", declaring(good, "xl/worksheets/sheet1.xml", 300 * 1024 * 1024), "解压后过大"),
        ("ratio_1000_to_1", ratio_bomb(good), "压缩比异常"),
        ("ten_thousand_members", crowded(good, 10_001), "部件过多"),
        ("bzip2_parts", recompressed(good, zipfile.ZIP_BZIP2), "不是有效的Excel"),
        ("lzma_parts", recompressed(good, zipfile.ZIP_LZMA), "不是有效的Excel"),
    ]


BAD_WORKBOOKS = bad_workbooks()
WORKBOOK_IDS = [name for name, _data, _message in BAD_WORKBOOKS]


# --- Veteran Excel import ---------------------------------------------------------------------


@pytest.fixture
def importer(client, tree):
    client.force_login(make_staff(tree["community_a1"]))
    return client


def post_import(client, data: bytes, name="veterans.xlsx"):
    response = client.post(reverse("admin:veterans_import_start"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200  # the form again, with the reason; no redirect to a preview
    return response.content.decode()


@pytest.mark.parametrize(("name", "data", "message"), BAD_WORKBOOKS, ids=WORKBOOK_IDS)
def test_veteran_import_refuses_bad_workbooks_and_keeps_nothing(importer, media, name, data, message):
    assert message in post_import(importer, data)
    assert not VeteranImport.objects.exists()
    assert stored_files(media) == []


def test_veteran_import_refuses_a_file_over_the_limit_before_reading_it(importer, media, settings):
    settings.VETERAN_IMPORT_MAX_BYTES = 64 * 1024
    page = post_import(importer, workbook_bytes() + b"\0" * (64 * 1024))
    assert "文件过大" in page and "上限为" in page
    assert not VeteranImport.objects.exists() and stored_files(media) == []


def test_a_good_workbook_still_goes_through(importer, media, tree, django_capture_on_commit_callbacks):
    """The controls above refuse bad files, not workbooks as Excel and openpyxl write them."""
    with django_capture_on_commit_callbacks(execute=True):
        response = importer.post(
            reverse("admin:veterans_import_start"), {"file": SimpleUploadedFile("v.xlsx", workbook_bytes())}
        )
    assert response.status_code == 302 and VeteranImport.objects.count() == 1


# --- Area import ------------------------------------------------------------------------------


@pytest.fixture
def area_admin(client, db):
    client.force_login(make_staff(DistrictFactory(code="110000"), role=Role.SYSTEM_ADMIN))
    return client


def post_areas(client, data: bytes):
    response = client.post(reverse("admin:grids_area_import"), {"file": SimpleUploadedFile("areas.xlsx", data)})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("name", "data", "message"), BAD_WORKBOOKS, ids=WORKBOOK_IDS)
def test_area_import_refuses_bad_workbooks_and_writes_nothing(area_admin, media, name, data, message):
    assert message in post_areas(area_admin, data)
    assert (District.objects.count(), Grid.objects.count()) == (1, 0)
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()
    assert stored_files(media) == []


def test_area_import_refuses_a_file_over_the_limit(area_admin, settings):
    settings.AREA_UPLOAD_MAX_BYTES = 64 * 1024
    assert "文件过大" in post_areas(area_admin, b"PK\x03\x04" + b"\0" * (64 * 1024))
    assert District.objects.count() == 1


# --- Hardship case papers ---------------------------------------------------------------------

BAD_DOCUMENTS = [
    ("html_as_pdf", "诊断.pdf", HTML_AS_PDF, "既不是PDF也不是图片"),
    ("html_as_jpg", "发票.jpg", HTML_AS_JPG, "既不是PDF也不是图片"),
    ("exe_as_jpg", "发票.jpg", EXE_AS_JPG, "既不是PDF也不是图片"),
    ("exe_as_pdf", "诊断.pdf", EXE_AS_JPG + b"%PDF-1.4 %%EOF", "既不是PDF也不是图片"),
]


def png_declaring(width: int, height: int) -> bytes:
    """A well-formed PNG header claiming width × height pixels, with almost no picture data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.fixture
def case_scene(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    case_type = CaseType.objects.order_by("pk").first()
    case = case_open(
        veteran=make_veteran(tree["grid_a11"]),
        case_type=case_type,
        description="住院",
        reported_on=timezone.localdate(),
        amount_requested=case_type.min_amount,
        acting_user=worker,
    )
    client = APIClient()
    client.force_authenticate(worker)
    return {"case": case, "worker": worker, "api": client}


def post_paper(case_scene, name: str, data: bytes):
    url = f"/api/cases/{case_scene['case'].pk}/attachments/"
    return case_scene["api"].post(url, {"kind": "invoice", "file": SimpleUploadedFile(name, data)}, format="multipart")


@pytest.mark.parametrize(("name", "filename", "data", "message"), BAD_DOCUMENTS, ids=[d[0] for d in BAD_DOCUMENTS])
def test_case_papers_are_judged_by_content(case_scene, media, name, filename, data, message):
    response = post_paper(case_scene, filename, data)
    assert response.status_code == 400 and message in response.json()["file"][0]
    assert not CaseAttachment.objects.exists() and stored_files(media) == []


def test_case_papers_over_the_limit_and_pixel_bombs_are_refused(case_scene, media, settings):
    response = post_paper(case_scene, "巨图.png", png_declaring(8000, 8000))
    assert response.status_code == 400 and "像素过多" in response.json()["file"][0]
    settings.CASE_ATTACHMENT_MAX_BYTES = 1024
    response = post_paper(case_scene, "大.pdf", PDF + b"%" * 1024)
    assert response.status_code == 400 and "过大" in response.json()["file"][0]
    assert not CaseAttachment.objects.exists() and stored_files(media) == []


def test_a_bad_paper_on_the_phone_form_leaves_no_case_and_no_stored_paper(client, tree, media):
    """The good paper sent with it must not stay on disk with no case to belong to."""
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    case_type = CaseType.objects.order_by("pk").first()
    response = client.post(
        reverse("mobile:hardship", args=[veteran.pk]),
        {
            "case_type": case_type.pk,
            "description": "住院",
            "reported_on": timezone.localdate().isoformat(),
            "amount_requested": str(case_type.min_amount),
            "submit_now": "on",
            "papers": [SimpleUploadedFile("诊断.pdf", PDF), SimpleUploadedFile("发票.jpg", HTML_AS_JPG)],
        },
    )
    assert response.status_code == 200 and "既不是PDF也不是图片" in response.content.decode()
    assert not HardshipCase.objects.exists() and not CaseAttachment.objects.exists()
    assert stored_files(media) == []


# --- Wish photos and visit photos -------------------------------------------------------------

BAD_PHOTOS = [
    ("html_as_jpg", HTML_AS_JPG, "不是有效的图片"),
    ("exe_as_jpg", EXE_AS_JPG, "不是有效的图片"),
    ("pdf_as_jpg", PDF, "不是有效的图片"),
    ("pixel_bomb", png_declaring(8000, 8000), "像素过多"),
]


@pytest.fixture
def claimed_wish(tree):
    people = {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "worker_b": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "station_b": make_staff(tree["street_b"], role=Role.STATION_STAFF),
    }
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed")
    client = APIClient()
    client.force_authenticate(people["worker"])
    return wish, client


def fulfil(client, wish, photo):
    payload = {"fulfilled_on": timezone.localdate().isoformat(), "note": "已送到", "photo": photo}
    return client.post(f"/api/wishes/{wish.pk}/fulfil/", payload, format="multipart")


@pytest.mark.parametrize(("name", "data", "message"), BAD_PHOTOS, ids=[p[0] for p in BAD_PHOTOS])
def test_wish_photos_are_judged_by_content(claimed_wish, media, name, data, message):
    wish, client = claimed_wish
    response = fulfil(client, wish, SimpleUploadedFile("photo.jpg", data))
    assert response.status_code == 400 and message in response.json()["photo"][0]
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and not wish.photo
    assert stored_files(media) == []


def test_wish_photo_over_the_limit_is_refused(claimed_wish, media, settings):
    wish, client = claimed_wish
    settings.VISIT_PHOTO_MAX_BYTES = 100
    response = fulfil(client, wish, image_upload())
    assert response.status_code == 400 and "过大" in response.json()["photo"][0]
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and stored_files(media) == []


@pytest.mark.parametrize(("name", "data", "message"), BAD_PHOTOS, ids=[p[0] for p in BAD_PHOTOS])
def test_visit_photos_are_judged_by_content_and_the_visit_is_not_kept(tree, media, name, data, message):
    worker = make_staff(grids=[tree["grid_a11"]])
    photos = [image_upload("good.jpg"), SimpleUploadedFile("bad.jpg", data)]
    with pytest.raises(ApplicationError, match=message):
        visit_record(
            veteran=make_veteran(tree["grid_a11"]),
            acting_user=worker,
            client_id=uuid.uuid4(),
            method="home",
            visited_at=timezone.now() - datetime.timedelta(hours=1),
            photos=photos,
        )
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()
    assert stored_files(media) == []
