"""An ID number already filed elsewhere: refused everywhere, without a word about that file."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import CommunityFactory, GridFactory, StreetFactory, make_staff
from veterans.import_services import veteran_import_start
from veterans.models import Veteran, VeteranImport
from veterans.tests.factories import make_veteran
from veterans.tests.xlsx_helpers import veteran_row, xlsx_file
from visits.models import Notification

ADMIN_INLINES = {
    f"{prefix}-{suffix}": "0"
    for prefix in ("priority_care", "family", "honours")
    for suffix in ("TOTAL_FORMS", "INITIAL_FORMS")
}


@pytest.fixture
def far(db):
    """A veteran of another district, and that community's station."""
    grid = GridFactory(community=CommunityFactory(street=StreetFactory(name="远街道"), name="远社区"), name="远网格")
    owner_station = make_staff(grid.community, role=Role.STATION_STAFF)
    veteran = make_veteran(grid, name="宋建涛")
    return {"grid": grid, "veteran": veteran, "station": owner_station}


@pytest.fixture
def clerk(tree):
    return make_staff(tree["community_a1"], role=Role.STATION_STAFF)


def _secrets(far) -> list[str]:
    veteran = far["veteran"]
    return [veteran.name, far["grid"].name, far["grid"].community.name, veteran.id_tail]


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _assert_says_nothing(text: str, far) -> None:
    text = text.replace(far["veteran"].id_number, "")  # the number the clerk typed is shown back
    assert "其他地区建档" in text
    for secret in _secrets(far):
        assert secret not in text


def test_api_create_with_an_id_filed_elsewhere_says_only_elsewhere(tree, far, clerk):
    response = _api(clerk).post(
        "/api/veterans/",
        {
            "grid": tree["grid_a11"].pk,
            "name": "新人",
            "id_number": far["veteran"].id_number,
            "veteran_type": "demobilised",
        },
        format="json",
    )
    assert response.status_code == 400
    _assert_says_nothing(response.content.decode(), far)
    assert "link" not in response.json()
    assert Veteran.objects.count() == 1


def test_the_attempt_is_audited_and_the_owning_station_told_once_a_day(tree, far, clerk):
    body = {
        "grid": tree["grid_a11"].pk,
        "name": "新人",
        "id_number": far["veteran"].id_number,
        "veteran_type": "demobilised",
    }
    for _attempt in range(2):
        assert _api(clerk).post("/api/veterans/", body, format="json").status_code == 400
    events = AuditEvent.objects.filter(action=AuditAction.DUPLICATE_ELSEWHERE, actor=clerk)
    assert events.count() == 2 and events.first().detail["veterans"] == [far["veteran"].pk]
    notice = Notification.objects.get(recipient=far["station"])
    assert "宋建涛" in notice.body and str(far["veteran"].pk) in notice.link
    assert not Notification.objects.filter(recipient=clerk).exists()


def test_patching_ones_own_record_to_an_id_filed_elsewhere_says_only_elsewhere(tree, far, clerk):
    own = make_veteran(tree["grid_a11"], name="本辖区人")
    response = _api(clerk).patch(f"/api/veterans/{own.pk}/", {"id_number": far["veteran"].id_number}, format="json")
    assert response.status_code == 400
    _assert_says_nothing(response.content.decode(), far)
    own.refresh_from_db()
    assert own.id_number != far["veteran"].id_number


def test_inside_the_scope_the_existing_file_is_named_and_linked(tree, clerk):
    mine = make_veteran(tree["grid_a12"], name="在册者")
    response = _api(clerk).post(
        "/api/veterans/",
        {"grid": tree["grid_a11"].pk, "name": "新", "id_number": mine.id_number, "veteran_type": "demobilised"},
        format="json",
    )
    assert response.status_code == 400 and "在册者" in response.json()["id_number"][0]
    assert response.json()["link"] == reverse("admin:veterans_veteran_change", args=[mine.pk])
    assert not AuditEvent.objects.filter(action=AuditAction.DUPLICATE_ELSEWHERE).exists()


def test_sibling_street_is_outside_a_community_clerks_scope_too(tree, clerk):
    sibling = make_veteran(tree["grid_b11"], name="乙街人")
    with pytest.raises(ApplicationError) as error:
        make_veteran(tree["grid_a11"], id_number=sibling.id_number, acting_user=clerk)
    assert "乙街人" not in error.value.message and "其他地区" in error.value.message


def test_admin_add_form_says_only_elsewhere_and_records_the_attempt(client, tree, far, clerk):
    client.force_login(clerk)
    data = {
        "grid": tree["grid_a11"].pk,
        "name": "重复",
        "id_number": far["veteran"].id_number,
        "veteran_type": "demobilised",
        "life_status": "alive",
        **ADMIN_INLINES,
    }
    response = client.post(reverse("admin:veterans_veteran_add"), data)
    assert response.status_code == 200
    _assert_says_nothing(response.content.decode(), far)
    assert Veteran.objects.count() == 1
    # The form's dry run rolls back; the record of the attempt must outlive it.
    assert AuditEvent.objects.filter(action=AuditAction.DUPLICATE_ELSEWHERE, actor=clerk).count() == 1


def test_admin_add_form_links_a_duplicate_inside_the_scope(client, tree, clerk):
    mine = make_veteran(tree["grid_a11"], name="原档案")
    client.force_login(clerk)
    data = {
        "grid": tree["grid_a12"].pk,
        "name": "重复",
        "id_number": mine.id_number,
        "veteran_type": "demobilised",
        "life_status": "alive",
        **ADMIN_INLINES,
    }
    page = client.post(reverse("admin:veterans_veteran_add"), data).content.decode()
    assert "原档案" in page and reverse("admin:veterans_veteran_change", args=[mine.pk]) in page


def test_import_preview_says_only_elsewhere(tree, far, clerk, django_capture_on_commit_callbacks):
    mine = make_veteran(tree["grid_a12"], name="本辖区重复者")
    rows = [
        veteran_row(姓名="甲", 公民身份号码=far["veteran"].id_number, 网格编码=tree["grid_a11"].code),
        veteran_row(姓名="乙", 公民身份号码=mine.id_number, 网格编码=tree["grid_a11"].code),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=clerk)
    record = VeteranImport.objects.get(pk=record.pk)
    by_row = {error["row"]: error["message"] for error in record.errors}
    _assert_says_nothing(by_row[2], far)
    assert "本辖区重复者" in by_row[3]
    event = AuditEvent.objects.get(action=AuditAction.DUPLICATE_ELSEWHERE, actor=clerk)
    assert event.detail["channel"] == "import" and event.detail["count"] == 1
    assert Notification.objects.filter(recipient=far["station"]).count() == 1
