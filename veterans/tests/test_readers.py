"""Who opened this file: every whole view is recorded, and its readers are shown to the auditor
and to station staff of the file's area."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEvent, ViewPart
from audit.retention import purge_expired
from audit.tests.helpers import back_date
from grids.models import Role
from grids.scoping import SYSTEM, MissingActorError
from grids.tests.factories import make_staff
from tests.test_scope_sweep import OBJECT_FOR_API_PREFIX, site_urls
from veterans.tests.factories import make_veteran
from veterans.view_services import veteran_record_view

LIST = "/api/veterans/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _reads(veteran):
    return AuditEvent.objects.filter(
        object_type="veterans.veteran",
        object_id=str(veteran.pk),
        action__in=[AuditAction.VIEW, AuditAction.VIEW_SENSITIVE],
    )


def test_api_detail_records_one_view_with_part_and_ip(tree):
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]])
    response = api(worker).get(f"{LIST}{veteran.pk}/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert response.json()["id"] == veteran.pk
    event = _reads(veteran).get()
    assert (event.action, event.detail, event.actor, event.ip_address) == (
        AuditAction.VIEW,
        {"part": ViewPart.API},
        worker,
        "10.1.2.3",
    )


def test_api_detail_of_another_grid_records_nothing(tree):
    other = make_veteran(tree["grid_a12"])
    response = api(make_staff(grids=[tree["grid_a11"]])).get(f"{LIST}{other.pk}/")
    assert response.status_code == 404
    assert not _reads(other).exists()


def test_admin_change_page_records_one_view_with_part_and_ip(client, tree):
    veteran = make_veteran(tree["grid_a11"])
    staff = make_staff(tree["community_a1"])
    client.force_login(staff)
    response = client.get(reverse("admin:veterans_veteran_change", args=[veteran.pk]), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    event = _reads(veteran).get()
    # The page shows the whole numbers to staff who may reveal them: one row says both.
    assert (event.action, event.detail["part"], event.actor, event.ip_address) == (
        AuditAction.VIEW_SENSITIVE,
        ViewPart.ADMIN,
        staff,
        "10.9.8.7",
    )


def test_admin_change_page_post_records_no_view(client, tree):
    veteran = make_veteran(tree["grid_a11"], skills="")
    client.force_login(make_staff(tree["community_a1"]))
    client.post(reverse("admin:veterans_veteran_change", args=[veteran.pk]), {"skills": "x"})
    assert not _reads(veteran).exists()


def test_identity_endpoint_is_listed_among_readers(tree):
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]])
    assert api(worker).get(f"{LIST}{veteran.pk}/identity/", REMOTE_ADDR="10.0.0.5").status_code == 200
    response = api(make_staff(tree["community_a1"])).get(f"{LIST}{veteran.pk}/readers/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["actor"] == worker.username
    assert (row["part"], row["part_display"], row["ip_address"]) == (ViewPart.IDENTITY, "完整号码", "10.0.0.5")
    assert _reads(veteran).count() == 1  # reading the readers is no read of the file


def test_station_staff_of_the_area_see_readers_newest_first(tree):
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]])
    first = veteran_record_view(veteran=veteran, part=ViewPart.MOBILE, acting_user=worker)
    second = veteran_record_view(veteran=veteran, part=ViewPart.API, acting_user=worker)
    veteran_record_view(veteran=make_veteran(tree["grid_a11"]), part=ViewPart.API, acting_user=worker)
    response = api(make_staff(tree["street_a"])).get(f"{LIST}{veteran.pk}/readers/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["part_display"] for row in body["results"]] == ["接口", "手机卡片"]
    assert _reads(veteran).count() == 2 and {first.pk, second.pk} == set(_reads(veteran).values_list("pk", flat=True))


def test_auditor_of_the_district_sees_readers(tree):
    veteran = make_veteran(tree["grid_b21"])
    veteran_record_view(veteran=veteran, part=ViewPart.MOBILE, acting_user=make_staff(grids=[tree["grid_b21"]]))
    auditor = make_staff(tree["district"], role=Role.AUDITOR)
    assert api(auditor).get(f"{LIST}{veteran.pk}/").status_code == 403  # the file itself is not theirs
    response = api(auditor).get(f"{LIST}{veteran.pk}/readers/")
    assert response.status_code == 200
    assert [row["part"] for row in response.json()["results"]] == [ViewPart.MOBILE]


@pytest.mark.parametrize(
    "make_user",
    [
        lambda t: make_staff(grids=[t["grid_a12"]]),  # a grid worker of another grid
        lambda t: make_staff(t["community_b1"]),  # station staff of another community
    ],
)
def test_readers_of_a_file_outside_the_area_are_refused_like_the_detail(tree, make_user):
    veteran = make_veteran(tree["grid_a11"], name="不可见的人")
    veteran_record_view(veteran=veteran, part=ViewPart.MOBILE, acting_user=SYSTEM)
    client = api(make_user(tree))
    detail = client.get(f"{LIST}{veteran.pk}/")
    readers = client.get(f"{LIST}{veteran.pk}/readers/")
    missing = client.get(f"{LIST}999999/readers/")
    assert readers.status_code == detail.status_code == missing.status_code == 404
    assert readers.json() == missing.json()  # nothing tells the file exists
    assert "system" not in readers.content.decode()
    assert _reads(veteran).count() == 1


def test_grid_worker_of_the_grid_does_not_see_readers(tree):
    veteran = make_veteran(tree["grid_a11"])
    response = api(make_staff(grids=[tree["grid_a11"]])).get(f"{LIST}{veteran.pk}/readers/")
    assert response.status_code == 404
    assert not _reads(veteran).exists()


def test_admin_change_page_shows_readers_to_station_staff(client, tree):
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]], username="网格员甲")
    veteran_record_view(veteran=veteran, part=ViewPart.MOBILE, acting_user=worker)
    client.force_login(make_staff(tree["community_a1"]))
    body = client.get(reverse("admin:veterans_veteran_change", args=[veteran.pk])).content.decode()
    assert "查阅记录" in body and "网格员甲" in body and "手机卡片" in body
    assert "共 2 次查阅" in body  # this opening is already among them
    assert _reads(veteran).count() == 2


def test_readers_route_is_swept_across_scopes():
    names = {name for _route, name, _params in site_urls()}
    assert "veteran-readers" in names
    assert any("veteran-readers".startswith(prefix) for prefix in OBJECT_FOR_API_PREFIX)


def test_record_view_refuses_a_missing_actor(tree):
    veteran = make_veteran(tree["grid_a11"])
    with pytest.raises(MissingActorError):
        veteran_record_view(veteran=veteran, part=ViewPart.API, acting_user=None)
    assert not _reads(veteran).exists()


@pytest.mark.django_db(transaction=True)
def test_retention_purge_removes_old_reads(tree, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    veteran = make_veteran(tree["grid_a11"])
    old = veteran_record_view(veteran=veteran, part=ViewPart.MOBILE, acting_user=SYSTEM)
    recent = veteran_record_view(veteran=veteran, part=ViewPart.API, acting_user=SYSTEM)
    back_date(old, 400)
    back_date(recent, 200)
    assert purge_expired() >= 1
    assert list(_reads(veteran).values_list("pk", flat=True)) == [recent.pk]


def test_readers_endpoint_is_in_the_openapi_schema(tree):
    client = api(make_staff(tree["community_a1"]))
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    operation = response.json()["paths"]["/api/veterans/{id}/readers/"]["get"]
    assert operation["operationId"] == "veterans_readers_list"
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()
