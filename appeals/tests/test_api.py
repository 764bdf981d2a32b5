import datetime

from rest_framework.test import APIClient

from appeals.models import Appeal, AppealStatus


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_appeal_is_taken_in_and_handled_through_the_api(people, veterans, agency):
    worker = _api(people["worker"])
    created = worker.post(
        "/api/appeals/",
        {
            "veteran": veterans["mine"].pk,
            "category": agency.pk,
            "channel": "phone",
            "subject": "伤残评定",
            "content": "申请伤残等级评定",
            "received_on": "2026-11-02",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["deadline"] > "2027-01-20" and [d["name"] for d in body["documents"]] == [
        "身份证复印件",
        "伤残评定申请表",
    ]
    station = _api(people["station"])
    url = f"/api/appeals/{body['id']}/"
    refused = station.post(url + "resolve/", {"resolution": "已递交", "resolved_on": "2026-11-03"}, format="json")
    assert refused.status_code == 400 and "材料未齐" in refused.json()["resolution"][0]
    ids = [d["id"] for d in body["documents"]]
    assert (
        station.post(url + "documents/", {"document_ids": ids, "received_on": "2026-11-03"}, format="json").status_code
        == 200
    )
    done = station.post(url + "resolve/", {"resolution": "已递交", "resolved_on": "2026-11-03"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == AppealStatus.RESOLVED
    rated = worker.post(url + "feedback/", {"satisfaction": "satisfied"}, format="json")
    assert rated.json()["status"] == AppealStatus.CLOSED


def test_the_api_lists_overdue_appeals_of_the_callers_area_only(open_appeal, people, veterans):
    late = open_appeal(received_on=datetime.date(2026, 10, 12))
    open_appeal(received_on=datetime.date.today())
    open_appeal(veteran=veterans["theirs"], by=people["other_worker"], received_on=datetime.date(2026, 10, 12))
    listing = _api(people["station"]).get("/api/appeals/", {"urgency": "overdue"})
    assert [row["id"] for row in listing.json()["results"]] == [late.pk]
    everything = _api(people["leader"]).get("/api/appeals/")
    assert everything.json()["count"] == 3


def test_objects_of_another_area_are_not_found_and_workers_cannot_resolve(open_appeal, people):
    appeal = open_appeal()
    url = f"/api/appeals/{appeal.pk}/"
    outsider = _api(people["other_worker"])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url + "notes/", {"text": "越界"}, format="json").status_code == 404
    forbidden = _api(people["worker"]).post(
        url + "resolve/", {"resolution": "x", "resolved_on": "2026-11-03"}, format="json"
    )
    assert forbidden.status_code == 403
    assert _api(people["leader"]).post(url + "notes/", {"text": "领导批示"}, format="json").status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).notes.count() == 1


def test_a_veteran_of_another_grid_cannot_be_named_in_a_new_appeal(people, veterans, question):
    response = _api(people["worker"]).post(
        "/api/appeals/",
        {
            "veteran": veterans["theirs"].pk,
            "category": question.pk,
            "channel": "phone",
            "subject": "x",
            "content": "y",
            "received_on": "2026-11-02",
        },
        format="json",
    )
    assert response.status_code == 400 and "veteran" in response.json()
    assert not Appeal.objects.exists()


def test_document_ids_out_of_any_id_range_are_refused_not_a_server_error(people, open_appeal, agency):
    appeal = open_appeal(category=agency)
    url = f"/api/appeals/{appeal.pk}/documents/"
    for ids in ([2**70], [-(2**70)], [0], list(range(1, 102))):
        response = _api(people["station"]).post(url, {"document_ids": ids, "received_on": "2026-11-03"}, format="json")
        assert response.status_code == 400 and "document_ids" in response.json()
    assert not appeal.documents.filter(received_on__isnull=False).exists()


def test_dates_typed_with_full_width_digits_or_clerk_spellings_are_taken(people, veterans, agency):
    worker = _api(people["worker"])
    base = {
        "veteran": veterans["mine"].pk,
        "category": agency.pk,
        "channel": "phone",
        "subject": "评定",
        "content": "申请",
    }
    created = worker.post("/api/appeals/", {**base, "received_on": "２０２６年１１月２日"}, format="json")
    assert created.status_code == 201, created.content
    assert Appeal.objects.get(pk=created.json()["id"]).received_on == datetime.date(2026, 11, 2)
    month = worker.post("/api/appeals/", {**base, "received_on": "2026.11"}, format="json")
    assert month.status_code == 400 and "请填写到日" in month.json()["received_on"][0]
    assert Appeal.objects.count() == 1
