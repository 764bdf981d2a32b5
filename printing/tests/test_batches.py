"""Batch prints: a grid's or a community's archive cards in one PDF, by Celery past 50 people."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import make_staff
from printing import services
from printing.models import BatchStatus, PrintBatch
from printing.services import print_batch_request, print_batches_expire
from printing.tests.conftest import fill
from printing.tests.pdf_tools import pdf_fonts, pdf_pages, pdf_text, save_first_page_png

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def _pdf(batch: PrintBatch) -> bytes:
    with batch.file.open("rb") as handle:
        return handle.read()


def test_a_community_of_300_is_printed_by_celery_into_one_pdf_with_progress_to_100(
    client, tree, media, monkeypatch, django_capture_on_commit_callbacks
):
    station = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    fill(tree["grid_a11"], 150, "甲")
    fill(tree["grid_a12"], 150, "乙")
    fill(tree["grid_a21"], 5, "邻")  # another community: not in the batch
    progress = []
    real_pdf = services.archive_pdf

    def watched(target, cards, context, *, on_card=None):
        def report(done):
            on_card(done)
            progress.append(PrintBatch.objects.values_list("done", "total").latest("id"))

        return real_pdf(target, cards, context, on_card=report)

    monkeypatch.setattr(services, "archive_pdf", watched)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        batch = print_batch_request(
            level="community", area_id=tree["community_a1"].pk, full_numbers=False, acting_user=station
        )
    assert len(queued) == 1  # the build went to Celery
    batch.refresh_from_db()
    assert batch.in_background and batch.status == BatchStatus.DONE
    assert (batch.done, batch.total, batch.percent) == (300, 300, 100)
    assert progress[0][0] < progress[len(progress) // 2][0] < progress[-1][0] == 300
    assert [done for done, _total in progress] == sorted(done for done, _total in progress)
    content = _pdf(batch)
    assert batch.pages == pdf_pages(content) >= 300
    text = pdf_text(content)
    assert text.count("一人一档 档案表") == 300
    assert "甲000" in text and "乙149" in text and "邻000" not in text
    assert all(font["embedded"] for font in pdf_fonts(content))
    save_first_page_png(content, RESULTS / "archive-batch-first-page.png")
    # One read-log row per person printed, and the request itself as an export.
    reads = AuditEvent.objects.filter(detail__print="archive_batch", detail__batch=batch.pk)
    assert reads.count() == 300 and set(reads.values_list("action", flat=True)) == {AuditAction.VIEW}
    request_row = AuditEvent.objects.get(object_type="printing.printbatch", object_id=str(batch.pk))
    assert request_row.detail["people"] == 300 and request_row.detail["full_numbers"] is False

    client.force_login(station)
    state = client.get(reverse("printing:batch_progress", args=[batch.pk])).json()
    assert state == {"finished": True, "done": 300, "total": 300, "percent": 100, "status_display": "已完成"}
    page = client.get(reverse("printing:batch", args=[batch.pk])).content.decode()
    assert reverse("printing:batch_download", args=[batch.pk]) in page
    response = client.get(reverse("printing:batch_download", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert b"".join(response.streaming_content) == content


def test_a_small_grid_is_printed_at_once_without_celery(client, tree, media, monkeypatch):
    worker = make_staff(grids=[tree["grid_a11"]])
    fill(tree["grid_a11"], 3)

    def no_celery(*args, **kwargs):
        raise AssertionError("a short batch must not wait for a worker")

    monkeypatch.setattr("printing.tasks.build_print_batch.delay", no_celery)
    client.force_login(worker)
    response = client.post(reverse("printing:batch_new"), {"level": "grid", "grid": tree["grid_a11"].pk})
    batch = PrintBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("printing:batch", args=[batch.pk])
    assert not batch.in_background and batch.status == BatchStatus.DONE
    assert (batch.total, batch.pages) == (3, 3)
    assert pdf_text(_pdf(batch)).count("一人一档 档案表") == 3


def test_the_request_page_offers_only_the_users_own_areas(client, tree):
    station = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    client.force_login(station)
    page = client.get(reverse("printing:batch_new")).content.decode()
    assert "a1-1网格" in page and "a1-2网格" in page and "a1社区" in page
    assert "a2-1网格" not in page and "b1社区" not in page


def test_a_batch_outside_the_scope_is_refused_and_nothing_is_written(client, tree, media):
    fill(tree["grid_b11"], 2)
    station = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    client.force_login(station)
    for level, area in (("community", tree["community_b1"]), ("grid", tree["grid_b11"]), ("street", tree["street_a"])):
        response = client.post(reverse("printing:batch_new"), {"level": level, level: area.pk})
        assert response.status_code == 200
        assert "请选择您管辖范围内的社区或网格" in response.content.decode()
    assert not PrintBatch.objects.exists()
    assert not AuditEvent.objects.filter(object_type="printing.printbatch").exists()


def test_whole_numbers_in_a_batch_need_the_unmasked_export_permission(tree, media):
    (person,) = fill(tree["grid_a11"], 1)
    worker = make_staff(grids=[tree["grid_a11"]])
    with pytest.raises(ApplicationError):
        print_batch_request(level="grid", area_id=tree["grid_a11"].pk, full_numbers=True, acting_user=worker)
    masked = print_batch_request(level="grid", area_id=tree["grid_a11"].pk, full_numbers=False, acting_user=worker)
    assert person.id_number not in pdf_text(_pdf(masked))
    station = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    whole = print_batch_request(level="grid", area_id=tree["grid_a11"].pk, full_numbers=True, acting_user=station)
    assert person.id_number in pdf_text(_pdf(whole))
    (read,) = AuditEvent.objects.filter(detail__batch=whole.pk)
    assert read.action == AuditAction.VIEW_SENSITIVE and read.detail["full_numbers"] is True


def test_someone_elses_batch_is_not_found(client, tree, media):
    fill(tree["grid_a11"], 1)
    owner = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    batch = print_batch_request(level="grid", area_id=tree["grid_a11"].pk, full_numbers=False, acting_user=owner)
    colleague = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    client.force_login(colleague)
    for name in ("printing:batch", "printing:batch_progress", "printing:batch_download"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    assert not AuditEvent.objects.filter(object_type="printing.printbatch", detail__download=True).exists()


def test_a_failed_build_is_shown_as_failed(client, tree, media, monkeypatch):
    fill(tree["grid_a11"], 2)
    worker = make_staff(grids=[tree["grid_a11"]])

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "archive_pdf", broken)
    batch = print_batch_request(level="grid", area_id=tree["grid_a11"].pk, full_numbers=False, acting_user=worker)
    assert batch.status == BatchStatus.FAILED and batch.error == "disk full"
    assert not AuditEvent.objects.filter(detail__batch=batch.pk).exists()  # nobody's card was printed
    client.force_login(worker)
    assert "生成失败" in client.get(reverse("printing:batch", args=[batch.pk])).content.decode()
    assert client.get(reverse("printing:batch_download", args=[batch.pk])).status_code == 404


def test_old_batch_files_are_removed_and_the_row_stays(tree, media):
    fill(tree["grid_a11"], 1)
    worker = make_staff(grids=[tree["grid_a11"]])
    batch = print_batch_request(level="grid", area_id=tree["grid_a11"].pk, full_numbers=False, acting_user=worker)
    path = Path(batch.file.path)
    assert path.exists()
    assert print_batches_expire(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert print_batches_expire(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    batch.refresh_from_db()
    assert not path.exists() and batch.file.name == "" and batch.status == BatchStatus.EXPIRED
