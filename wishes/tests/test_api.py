from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from veterans.tests.factories import make_veteran
from wishes.models import MicroWish, WishStatus
from wishes.tests.factories import image_upload, make_wish

TODAY = timezone.localdate


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_wish_is_collected_and_taken_through_every_step_by_the_api(tree, people):
    veteran = make_veteran(tree["grid_a11"])
    worker, station = api(people["worker"]), api(people["station"])
    response = worker.post(
        "/api/wishes/", {"veteran": veteran.pk, "title": "一台助听器", "estimated_value": "2500.00"}, format="json"
    )
    assert response.status_code == 201 and response.json()["status"] == "collected"
    pk = response.json()["id"]
    assert station.post(f"/api/wishes/{pk}/publish/").json()["status"] == "published"
    claim = {
        "donor_kind": "organisation",
        "donor_name": "志愿者协会",
        "donor_phone": "13900001111",
        "claimed_on": TODAY(),
    }
    body = station.post(f"/api/wishes/{pk}/claim/", claim, format="json").json()
    assert body["status"] == "claimed" and body["donor_phone"] == "139****1111"
    response = worker.post(
        f"/api/wishes/{pk}/fulfil/",
        {"fulfilled_on": TODAY(), "note": "已配好", "photo": image_upload()},
        format="multipart",
    )
    assert response.status_code == 200 and response.json()["photo_url"] == f"/wishes/{pk}/photo/"
    assert station.post(f"/api/wishes/{pk}/confirm/").json()["status"] == "confirmed"
    wish = MicroWish.objects.get(pk=pk)
    assert (wish.status, wish.donor_phone, wish.fulfilment_note) == (WishStatus.CONFIRMED, "13900001111", "已配好")


def test_refused_steps_answer_400_with_the_message_and_write_nothing(tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people)
    station = api(people["station"])
    events = AuditEvent.objects.count()
    response = station.post(f"/api/wishes/{wish.pk}/confirm/")
    assert response.status_code == 400 and "当前状态为“已收集”" in response.json()["non_field_errors"][0]
    response = station.post(f"/api/wishes/{wish.pk}/cancel/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api(people["worker"]).post(f"/api/wishes/{wish.pk}/publish/")
    assert response.status_code == 403 and "发布" in response.json()["detail"]
    response = api(people["worker"]).post(
        "/api/wishes/", {"veteran": wish.veteran_id, "title": "车", "estimated_value": "-5"}, format="json"
    )
    assert response.status_code == 400 and "不能为负数" in response.json()["estimated_value"][0]
    wish.refresh_from_db()
    assert (
        wish.status == WishStatus.COLLECTED and MicroWish.objects.count() == 1 and AuditEvent.objects.count() == events
    )


def test_fulfil_through_the_api_needs_a_real_picture(tree, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed")
    fake = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = api(people["worker"]).post(
        f"/api/wishes/{wish.pk}/fulfil/", {"fulfilled_on": TODAY(), "photo": fake}, format="multipart"
    )
    assert response.status_code == 400 and "不是有效的图片" in response.json()["photo"][0]
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and not wish.photo


def test_wishes_of_another_area_are_absent_and_not_found(tree, people):
    mine = make_wish(make_veteran(tree["grid_a11"]), people, upto="published")
    other = make_wish(make_veteran(tree["grid_b11"]), people, upto="published")
    client = api(people["station"])
    assert [row["id"] for row in client.get("/api/wishes/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/wishes/{other.pk}/").status_code == 404
    claim = {"donor_kind": "anonymous", "claimed_on": TODAY()}
    assert client.post(f"/api/wishes/{other.pk}/claim/", claim, format="json").status_code == 404
    assert client.post(f"/api/wishes/{other.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    response = api(people["worker"]).post(
        "/api/wishes/", {"veteran": other.veteran_id, "title": "轮椅", "estimated_value": "1"}, format="json"
    )
    assert response.status_code == 400 and "veteran" in response.json()
    other.refresh_from_db()
    assert other.status == WishStatus.PUBLISHED and MicroWish.objects.count() == 2


def test_list_filters_by_status_and_search(tree, people):
    make_wish(make_veteran(tree["grid_a11"], name="张"), people, upto="claimed", title="轮椅")
    make_wish(make_veteran(tree["grid_a12"], name="李"), people, title="助听器")
    client = api(people["station"])
    assert [r["title"] for r in client.get("/api/wishes/?status=claimed").json()["results"]] == ["轮椅"]
    assert [r["veteran_name"] for r in client.get("/api/wishes/?q=助听").json()["results"]] == ["李"]
    assert [r["title"] for r in client.get("/api/wishes/?q=津门").json()["results"]] == ["轮椅"]


def test_coverage_endpoint_counts_the_callers_area(tree, people, korean_war_veteran):
    make_wish(korean_war_veteran("grid_a11", name="有心愿"), people, upto="fulfilled")
    korean_war_veteran("grid_a12", name="漏掉")
    korean_war_veteran("grid_b11", name="乙街")
    body = api(people["station"]).get("/api/wishes/coverage/?category=korean_war").json()
    assert (body["target"], body["with_wish"], body["fulfilled"], body["missed"]) == (2, 1, 1, 1)
    assert [row["name"] for row in body["missing"]["results"]] == ["漏掉"]
    assert "*" in body["missing"]["results"][0]["id_number"]
    assert api(people["station"]).get("/api/wishes/coverage/?category=nope").status_code == 400


def test_list_runs_a_fixed_number_of_queries(tree, people, django_assert_max_num_queries):
    for index in range(10):
        make_wish(make_veteran(tree["grid_a11"], name=f"老兵{index}"), people, upto="claimed")
    client = api(people["station"])
    with django_assert_max_num_queries(8):
        response = client.get("/api/wishes/")
    assert len(response.json()["results"]) == 10
